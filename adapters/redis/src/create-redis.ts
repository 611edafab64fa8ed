import { CoreError, zodIssues } from '@agentry/contracts'
import { type RedisConnectionOptions, SharedRedisClient } from './redis-client.js'
import { type RedisConfig, type RedisConfigInput, RedisConfigSchema } from './redis-config.js'
import { RedisJobQueue } from './redis-job-queue.js'
import { RedisLock } from './redis-lock.js'
import { RedisRateLimiter } from './redis-rate-limiter.js'

export interface RedisHooks {
  /**
   * Background errors nobody awaits: lost connections (ioredis reconnects on its own), worker
   * fetch failures. The host logs them; calls still throw their own CoreErrors.
   */
  readonly onError?: (error: unknown) => void
}

export interface RedisAdapters {
  readonly config: RedisConfig
  readonly queue: RedisJobQueue
  readonly rateLimiter: RedisRateLimiter
  readonly lock: RedisLock
  /** Closes the queue (workers first, see `queue.closeGraceMs`), the limiter, the lock and their connections. */
  close(): Promise<void>
}

/** Parses a config (throws CoreError INVALID_INPUT listing every problem) and fills in defaults. */
export function parseRedisConfig(input: RedisConfigInput): RedisConfig {
  const parsed = RedisConfigSchema.safeParse(input)
  if (!parsed.success) {
    const issues = zodIssues(parsed.error)
    const summary = issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ')
    throw new CoreError('INVALID_INPUT', `Invalid Redis config: ${summary}`, { details: { issues } })
  }
  return parsed.data
}

/**
 * The Redis adapters over one request-path connection (shared by queue, limiter and lock) plus one
 * connection per worker registration. Nothing connects before this returns; calls wait for the
 * first connection up to `connectTimeoutMs`.
 */
export function createRedis(input: RedisConfigInput, hooks: RedisHooks = {}): RedisAdapters {
  const config = parseRedisConfig(input)
  const connectionOptions: RedisConnectionOptions = {
    url: config.url,
    connectTimeoutMs: config.connectTimeoutMs,
    commandTimeoutMs: config.commandTimeoutMs,
    onError: hooks.onError,
  }
  const connection = new SharedRedisClient(connectionOptions, `${config.prefix}:request`)
  const queue = new RedisJobQueue({
    connection,
    connectionOptions,
    prefix: config.prefix,
    queue: config.queue,
    onError: hooks.onError,
  })
  const rateLimiter = new RedisRateLimiter({ connection: connection.retain(), prefix: config.prefix })
  const lock = new RedisLock({ connection: connection.retain(), prefix: config.prefix })
  let closing: Promise<void> | undefined
  return {
    config,
    queue,
    rateLimiter,
    lock,
    close() {
      closing ??= Promise.all([queue.close(), rateLimiter.close(), lock.close()]).then(() => undefined)
      return closing
    },
  }
}
