import { CoreError, zodIssues } from '@agentry/contracts'
import { LOG_LEVELS, type LogLevel } from '@agentry/telemetry'
import { z } from 'zod'
import type { KnowledgeConfig } from '../knowledge/knowledge-composition.js'
import { KNOWLEDGE_ENVIRONMENT, knowledgeConfig, knowledgeProblems } from '../knowledge/knowledge-config.js'
import {
  OBSERVABILITY_ENVIRONMENT,
  type ObservabilityConfig,
  observabilityConfig,
} from '../observability/observability-config.js'

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional()

const boolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => ['true', '1', 'yes'].includes(value))

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max)

const KEY_ID = /^[A-Za-z0-9_.-]{1,32}$/
const isMasterKey = (value: string) =>
  /^[A-Za-z0-9+/]+={0,2}$/.test(value) && Buffer.from(value, 'base64').length === 32
const MASTER_KEY_HINT = 'must be 32 random bytes in base64 (openssl rand -base64 32)'

/** `id:base64key` pairs separated by commas: keys that still decrypt secrets during a rotation. */
const previousKeys = z
  .string()
  .trim()
  .transform((value, context) => {
    const keys: { id: string; key: string }[] = []
    for (const entry of value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)) {
      const colon = entry.indexOf(':')
      const id = entry.slice(0, colon)
      const key = entry.slice(colon + 1)
      if (colon < 1 || !KEY_ID.test(id) || !isMasterKey(key)) {
        context.addIssue({
          code: 'custom',
          message: `entries look like id:base64key, where the key ${MASTER_KEY_HINT}`,
        })
        return z.NEVER
      }
      keys.push({ id, key })
    }
    return keys
  })

/** Comma-separated host patterns (`api.example.com`, `*.example.com`). */
const hostList = z
  .string()
  .trim()
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z
        .string()
        .regex(/^(?:\*\.)?[A-Za-z0-9.-]+$/, 'host patterns look like api.example.com or *.example.com'),
    ),
  )

const companyHosts = z
  .string()
  .trim()
  .transform((value, context) => {
    try {
      return JSON.parse(value) as unknown
    } catch {
      context.addIssue({
        code: 'custom',
        message: 'must be JSON: {"<companyId>": {"allow": [...], "deny": [...]}}',
      })
      return z.NEVER
    }
  })
  .pipe(
    z.record(
      z.uuid(),
      z
        .object({
          allow: z.array(z.string().min(1)).default([]),
          deny: z.array(z.string().min(1)).default([]),
        })
        .strict(),
    ),
  )

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
  /** Namespace of every Redis key, so several deployments (or test runs) can share one Redis. */
  AGENTRY_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:{}-]{1,64}$/, 'must be 1-64 characters of letters, digits and _ . : { } -')
    .default('agentry'),
  /** A running job's lock in Redis; a worker that dies loses its jobs to another after about this long. */
  AGENTRY_JOB_LOCK_MS: integer(1000, 600_000).default(30_000),
  /** How often workers look for jobs whose lock expired (their worker died) and run them again. */
  AGENTRY_JOB_STALLED_CHECK_MS: integer(500, 600_000).default(30_000),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString.pipe(z.url().optional()),
  ANTHROPIC_API_KEY: optionalString,
  AGENTRY_LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  AGENTRY_BODY_LIMIT_BYTES: integer(1024, 100 * 1024 * 1024).default(1024 * 1024),
  AGENTRY_RATE_LIMIT_PER_KEY: integer(1, 1_000_000).default(600),
  AGENTRY_RATE_LIMIT_PER_COMPANY: integer(1, 10_000_000).default(3000),
  /** Seed the demo company on `agentry start`; default: on for the embedded database, off with DATABASE_URL. */
  AGENTRY_SEED_DEMO: boolean.optional(),
  /** Apply migrations when the platform starts; default: on for the embedded database, off with DATABASE_URL. */
  AGENTRY_MIGRATE_ON_START: boolean.optional(),
  AGENTRY_SHUTDOWN_GRACE_MS: integer(0, 600_000).default(15_000),
  /** Delay before each reply of the local scripted model, to make demos feel like a real model. */
  AGENTRY_LOCAL_MODEL_LATENCY_MS: integer(0, 600_000).default(0),
  /** Delay between streamed words of the local scripted model. */
  AGENTRY_LOCAL_MODEL_CHUNK_DELAY_MS: integer(0, 60_000).default(0),
  /** Lifetime of the user tokens `POST /api/v1/auth/login` issues. */
  AGENTRY_JWT_TTL_SECONDS: integer(60, 30 * 24 * 3600).default(3600),
  /** Encrypts company secrets (tool credentials, provider keys). Production must set it. */
  AGENTRY_MASTER_KEY: optionalString.pipe(z.string().refine(isMasterKey, MASTER_KEY_HINT).optional()),
  AGENTRY_MASTER_KEY_ID: z.string().regex(KEY_ID, 'must be 1-32 letters, digits, _ . -').default('primary'),
  /** Earlier master keys (`id:base64,...`), still accepted for reading until `agentry secrets rotate` ran. */
  AGENTRY_PREVIOUS_MASTER_KEYS: optionalString.pipe(previousKeys.optional()),
  /** Let HTTP tools reach loopback addresses (127.0.0.0/8, ::1). Tests and local demos only. */
  AGENTRY_OUTBOUND_ALLOW_LOOPBACK: boolean.default(false),
  /** When set, tools may reach only these hosts (comma-separated patterns), on top of each tool's list. */
  AGENTRY_OUTBOUND_ALLOW_HOSTS: optionalString.pipe(hostList.optional()),
  /** Hosts no tool may reach (comma-separated patterns). */
  AGENTRY_OUTBOUND_DENY_HOSTS: optionalString.pipe(hostList.optional()),
  /** Per-company host lists for HTTP tools: JSON `{"<companyId>": {"allow": [...], "deny": [...]}}`. */
  AGENTRY_OUTBOUND_COMPANY_HOSTS: optionalString.pipe(companyHosts.optional()),
  ...KNOWLEDGE_ENVIRONMENT,
  ...OBSERVABILITY_ENVIRONMENT,
})

/** Every variable `loadConfig` reads, in schema order (docs and `.env.example` list exactly these). */
export const ENVIRONMENT_VARIABLES: readonly string[] = Object.keys(EnvironmentSchema.shape)

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
  redisPrefix: string
  /** BullMQ job lock and stalled-job check (Redis only): how fast a dead worker's jobs run elsewhere. */
  jobs: { readonly lockMs: number; readonly stalledCheckMs: number }
  openai: { readonly apiKey: string | undefined; readonly baseURL: string | undefined }
  anthropic: { readonly apiKey: string | undefined }
  logLevel: LogLevel
  bodyLimitBytes: number
  rateLimits: { readonly perKeyPerMinute: number; readonly perCompanyPerMinute: number }
  seedDemo: boolean
  migrateOnStart: boolean
  shutdownGraceMs: number
  localModel: { readonly latencyMs: number; readonly chunkDelayMs: number }
  jwtTtlSeconds: number
  secrets: {
    /** The key new secrets are encrypted with; generated into the data dir when absent (embedded). */
    readonly masterKey: { readonly id: string; readonly key: string } | undefined
    readonly previousKeys: readonly { readonly id: string; readonly key: string }[]
  }
  /** Embedding model, document size limit and retrieval fusion (docs/knowledge.md). */
  knowledge: KnowledgeConfig
  /** Log redaction, /metrics protection, the worker's metrics port and OTLP export (docs/operations.md). */
  observability: ObservabilityConfig
  outbound: {
    readonly allowLoopback: boolean
    readonly allowHosts: readonly string[]
    readonly denyHosts: readonly string[]
    readonly companyHosts: Readonly<
      Record<string, { readonly allow: readonly string[]; readonly deny: readonly string[] }>
    >
  }
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
  const isEmbedded = env.DATABASE_URL === undefined
  const previous = env.AGENTRY_PREVIOUS_MASTER_KEYS ?? []
  const keyProblems = [
    ...knowledgeProblems(env),
    ...(previous.length > 0 && !env.AGENTRY_MASTER_KEY
      ? [{ path: 'AGENTRY_PREVIOUS_MASTER_KEYS', message: 'needs AGENTRY_MASTER_KEY (the key to rotate to)' }]
      : []),
    ...(previous.some((key) => key.id === env.AGENTRY_MASTER_KEY_ID)
      ? [{ path: 'AGENTRY_PREVIOUS_MASTER_KEYS', message: 'must not reuse the id of AGENTRY_MASTER_KEY_ID' }]
      : []),
  ]
  if (keyProblems.length > 0) {
    throw new CoreError(
      'INVALID_INPUT',
      `The environment has ${keyProblems.length} problem(s):\n${keyProblems.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')}`,
      { details: { issues: keyProblems } },
    )
  }
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
    redisPrefix: env.AGENTRY_REDIS_PREFIX,
    jobs: { lockMs: env.AGENTRY_JOB_LOCK_MS, stalledCheckMs: env.AGENTRY_JOB_STALLED_CHECK_MS },
    openai: { apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL },
    anthropic: { apiKey: env.ANTHROPIC_API_KEY },
    logLevel: env.AGENTRY_LOG_LEVEL,
    bodyLimitBytes: env.AGENTRY_BODY_LIMIT_BYTES,
    rateLimits: {
      perKeyPerMinute: env.AGENTRY_RATE_LIMIT_PER_KEY,
      perCompanyPerMinute: env.AGENTRY_RATE_LIMIT_PER_COMPANY,
    },
    seedDemo: env.AGENTRY_SEED_DEMO ?? isEmbedded,
    migrateOnStart: env.AGENTRY_MIGRATE_ON_START ?? isEmbedded,
    shutdownGraceMs: env.AGENTRY_SHUTDOWN_GRACE_MS,
    localModel: {
      latencyMs: env.AGENTRY_LOCAL_MODEL_LATENCY_MS,
      chunkDelayMs: env.AGENTRY_LOCAL_MODEL_CHUNK_DELAY_MS,
    },
    jwtTtlSeconds: env.AGENTRY_JWT_TTL_SECONDS,
    secrets: {
      masterKey: env.AGENTRY_MASTER_KEY
        ? { id: env.AGENTRY_MASTER_KEY_ID, key: env.AGENTRY_MASTER_KEY }
        : undefined,
      previousKeys: previous,
    },
    knowledge: knowledgeConfig(env),
    observability: observabilityConfig(env),
    outbound: {
      allowLoopback: env.AGENTRY_OUTBOUND_ALLOW_LOOPBACK,
      allowHosts: env.AGENTRY_OUTBOUND_ALLOW_HOSTS ?? [],
      denyHosts: env.AGENTRY_OUTBOUND_DENY_HOSTS ?? [],
      companyHosts: env.AGENTRY_OUTBOUND_COMPANY_HOSTS ?? {},
    },
  })
}
