import { z } from 'zod'

const DAY_SECONDS = 24 * 60 * 60

const keepSchema = (ageSeconds: number) =>
  z.strictObject({
    /** Finished jobs younger than this are kept (and repeated idempotency keys return them). */
    ageSeconds: z.int().positive().default(ageSeconds),
    /** At most this many finished jobs are kept per kind, newest first. */
    count: z.int().positive().default(10_000),
  })

export const RedisQueueConfigSchema = z.strictObject({
  /** Retention of completed jobs: 7 days / 10,000 per kind by default. */
  keepCompleted: keepSchema(7 * DAY_SECONDS).prefault({}),
  /** Retention of failed jobs (the dead-letter view): 30 days / 10,000 per kind by default. */
  keepFailed: keepSchema(30 * DAY_SECONDS).prefault({}),
  /** A running job's lock lasts this long and is renewed at half of it while the handler runs. */
  lockDurationMs: z.int().min(100).default(30_000),
  /** How often workers look for jobs whose lock expired (their worker died) and return them to the queue. */
  stalledIntervalMs: z.int().min(100).default(30_000),
  /** A job found stalled more often than this fails instead of running again. */
  maxStalledCount: z.int().min(0).default(2),
  /** `close()` waits this long for running jobs before it forces the workers down. */
  closeGraceMs: z.int().min(0).default(10_000),
})

/** Configuration of `createRedis`. Validated strictly; defaults are filled in. */
export const RedisConfigSchema = z.strictObject({
  /** `redis://[user:password@]host:port[/db]` or `rediss://` for TLS. */
  url: z.url({ protocol: /^rediss?$/, error: 'url must be a redis:// or rediss:// URL' }),
  /** Namespace of every key this adapter writes (see README, key layout). */
  prefix: z
    .string()
    .regex(/^[A-Za-z0-9_.:{}-]{1,64}$/, 'prefix is 1-64 characters of letters, digits and _ . : { } -')
    .default('agentry'),
  /** How long a call waits for the first connection before failing with UNAVAILABLE. */
  connectTimeoutMs: z.int().positive().default(2_000),
  /** A request-path command without a reply after this long fails with UNAVAILABLE. */
  commandTimeoutMs: z.int().positive().default(5_000),
  queue: RedisQueueConfigSchema.prefault({}),
})

export type RedisConfig = z.output<typeof RedisConfigSchema>
export type RedisConfigInput = z.input<typeof RedisConfigSchema>
export type RedisQueueConfig = z.output<typeof RedisQueueConfigSchema>
