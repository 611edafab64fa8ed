import { CoreError, zodIssues } from '@agentry/contracts'
import { z } from 'zod'

/** One statement as it went to the database: one round trip. */
export interface PostgresQueryEvent {
  readonly sql: string
  readonly durationMs: number
  readonly isError: boolean
}

export type PostgresQueryListener = (event: PostgresQueryEvent) => void

const RoleNameSchema = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lowercase SQL identifier, e.g. agentry_app')
  .default('agentry_app')

const QueryListenerSchema = z.custom<PostgresQueryListener>(
  (value) => typeof value === 'function',
  'onQuery must be a function',
)

const PostgresUrlSchema = z
  .string()
  .regex(/^postgres(ql)?:\/\/\S+$/, 'a postgres:// or postgresql:// URL, e.g. postgres://user@host:5432/db')

/**
 * The embedded database: PGlite (PostgreSQL in WebAssembly) with pgvector, in this process.
 * `dataDir` is a directory (created when missing) or `memory` for a throw-away database.
 */
export const EmbeddedPostgresConfigSchema = z
  .object({
    dataDir: z.string().min(1).default('.agentry/data'),
    /** The runtime role the stores switch to in every transaction (created by `migrate()`). */
    role: RoleNameSchema,
    /** Called after every statement; counts round trips in tests and benchmarks. */
    onQuery: QueryListenerSchema.optional(),
  })
  .strict()

/** A PostgreSQL server (15 or newer) reached over TCP through a `pg` pool. */
export const ServerPostgresConfigSchema = z
  .object({
    url: PostgresUrlSchema,
    /** A connection that owns the schema, for `migrate()`; defaults to `url`. */
    migrationUrl: PostgresUrlSchema.optional(),
    role: RoleNameSchema,
    pool: z
      .object({
        max: z.number().int().min(1).max(500).default(10),
        idleTimeoutMs: z.number().int().min(0).default(10_000),
        /** How long to wait for a free or new connection before `UNAVAILABLE`. */
        connectionTimeoutMs: z.number().int().min(1).default(5_000),
      })
      .strict()
      .prefault({}),
    /** Server-side limit per statement (`TIMEOUT` past it); 0 for none. */
    statementTimeoutMs: z.number().int().min(0).default(30_000),
    applicationName: z.string().min(1).max(63).default('agentry'),
    onQuery: QueryListenerSchema.optional(),
  })
  .strict()

export type EmbeddedPostgresConfig = z.output<typeof EmbeddedPostgresConfigSchema>
export type EmbeddedPostgresConfigInput = z.input<typeof EmbeddedPostgresConfigSchema>
export type ServerPostgresConfig = z.output<typeof ServerPostgresConfigSchema>
export type ServerPostgresConfigInput = z.input<typeof ServerPostgresConfigSchema>

/** Parses a config, throwing CoreError `INVALID_INPUT` that names every bad field. */
export function parseConfig<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input ?? {})
  if (parsed.success) return parsed.data
  const issues = zodIssues(parsed.error)
  const summary = issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ')
  throw new CoreError('INVALID_INPUT', `${what} config is invalid: ${summary}`, { details: { issues } })
}
