import { CoreError, zodIssues } from '@agentry/contracts'
import { z } from 'zod'

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional()

const boolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => ['true', '1', 'yes'].includes(value))

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max)

/** The environment the host reads, documented in `.env.example` and docs/configuration.md. */
const EnvironmentSchema = z.object({
  PORT: integer(0, 65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Public base URL used in printed links and webhook URLs. */
  AGENTRY_PUBLIC_URL: optionalString.pipe(z.url().optional()),
  AGENTRY_DATA_DIR: z.string().min(1).default('.agentry/data'),
  AGENTRY_ADMIN_TOKEN: optionalString.pipe(z.string().min(24, 'must be at least 24 characters').optional()),
  AGENTRY_JWT_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  DATABASE_URL: optionalString.pipe(z.url().startsWith('postgres', 'must be a postgres:// URL').optional()),
  REDIS_URL: optionalString.pipe(
    z.url().startsWith('redis', 'must be a redis:// or rediss:// URL').optional(),
  ),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString.pipe(z.url().optional()),
  ANTHROPIC_API_KEY: optionalString,
  AGENTRY_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  AGENTRY_BODY_LIMIT_BYTES: integer(1024, 100 * 1024 * 1024).default(1024 * 1024),
  AGENTRY_RATE_LIMIT_PER_KEY: integer(1, 1_000_000).default(600),
  AGENTRY_RATE_LIMIT_PER_COMPANY: integer(1, 10_000_000).default(3000),
  AGENTRY_SEED_DEMO: boolean.default(true),
  AGENTRY_SHUTDOWN_GRACE_MS: integer(0, 600_000).default(15_000),
})

export type Config = Readonly<{
  port: number
  host: string
  publicUrl: string | undefined
  dataDir: string
  adminToken: string | undefined
  jwtSecret: string | undefined
  storage:
    | { readonly kind: 'embedded'; readonly dataDir: string }
    | { readonly kind: 'postgres'; readonly url: string }
  redisUrl: string | undefined
  openai: { readonly apiKey: string | undefined; readonly baseURL: string | undefined }
  anthropic: { readonly apiKey: string | undefined }
  logLevel: string
  bodyLimitBytes: number
  rateLimits: { readonly perKeyPerMinute: number; readonly perCompanyPerMinute: number }
  seedDemo: boolean
  shutdownGraceMs: number
}>

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner)
    Object.freeze(value)
  }
  return value
}

/**
 * Reads the environment once, reports every problem at once (CoreError INVALID_INPUT whose message
 * lists each variable), and returns a frozen config. Nothing else in the platform reads `process.env`.
 */
export function loadConfig(environment: Readonly<Record<string, string | undefined>>): Config {
  const parsed = EnvironmentSchema.safeParse(environment)
  if (!parsed.success) {
    const issues = zodIssues(parsed.error)
    const lines = issues.map((issue) => `  ${issue.path}: ${issue.message}`)
    throw new CoreError(
      'INVALID_INPUT',
      `The environment has ${issues.length} problem(s):\n${lines.join('\n')}`,
      {
        details: { issues },
      },
    )
  }
  const env = parsed.data
  return deepFreeze({
    port: env.PORT,
    host: env.HOST,
    publicUrl: env.AGENTRY_PUBLIC_URL,
    dataDir: env.AGENTRY_DATA_DIR,
    adminToken: env.AGENTRY_ADMIN_TOKEN,
    jwtSecret: env.AGENTRY_JWT_SECRET,
    storage: env.DATABASE_URL
      ? { kind: 'postgres' as const, url: env.DATABASE_URL }
      : { kind: 'embedded' as const, dataDir: env.AGENTRY_DATA_DIR },
    redisUrl: env.REDIS_URL,
    openai: { apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL },
    anthropic: { apiKey: env.ANTHROPIC_API_KEY },
    logLevel: env.AGENTRY_LOG_LEVEL,
    bodyLimitBytes: env.AGENTRY_BODY_LIMIT_BYTES,
    rateLimits: {
      perKeyPerMinute: env.AGENTRY_RATE_LIMIT_PER_KEY,
      perCompanyPerMinute: env.AGENTRY_RATE_LIMIT_PER_COMPANY,
    },
    seedDemo: env.AGENTRY_SEED_DEMO,
    shutdownGraceMs: env.AGENTRY_SHUTDOWN_GRACE_MS,
  })
}
