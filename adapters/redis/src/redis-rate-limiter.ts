import {
  type CallOptions,
  CoreError,
  type RateLimitDecision,
  type RateLimiter,
  type SystemScope,
  type TenantScope,
  type TokenBucket,
} from '@agentry/contracts'
import { LuaScript } from './lua-script.js'
import type { SharedRedisClient } from './redis-client.js'
import { throwIfAborted, translateErrors } from './redis-errors.js'
import { checkKey, scopeSegment } from './redis-keys.js'

/**
 * Refill, take and store in one script, so concurrent callers on any number of processes never
 * overdraw a bucket. Time comes from the Redis server (TIME), not from the callers' clocks. A
 * refused call stores nothing. The key expires once the bucket would be full again, which is
 * indistinguishable from a missing key (a missing key is a full bucket).
 * Returns { allowed (1/0), whole tokens left, retry after ms (-1: never, reported as MAX_SAFE_INTEGER
 * like the in-memory limiter) }.
 */
const CONSUME = new LuaScript(`
local capacity = tonumber(ARGV[1])
local per_ms = tonumber(ARGV[2]) / 1000
local cost = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = capacity
  at = now
end
if now > at then
  tokens = math.min(capacity, tokens + (now - at) * per_ms)
  at = now
end
if tokens < cost then
  if per_ms <= 0 then return { 0, math.floor(tokens), -1 } end
  return { 0, math.floor(tokens), math.ceil((cost - tokens) / per_ms) }
end
tokens = tokens - cost
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', at)
if per_ms > 0 then
  redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / per_ms) + 1000)
else
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
end
return { 1, math.floor(tokens), 0 }
`)

/** A bucket that never refills is forgotten after a day without calls. */
const NO_REFILL_IDLE_MS = 24 * 60 * 60 * 1000

export interface RedisRateLimiterOptions {
  readonly connection: SharedRedisClient
  readonly prefix: string
}

/** Token buckets in Redis: `<prefix>:rl:<scope>:<key>`, a hash of `tokens` and `at` (ms). */
export class RedisRateLimiter implements RateLimiter {
  private readonly connection: SharedRedisClient
  private readonly prefix: string
  private isClosed = false

  constructor(options: RedisRateLimiterOptions) {
    this.connection = options.connection
    this.prefix = options.prefix
  }

  async consume(
    scope: TenantScope | SystemScope,
    key: string,
    bucket: TokenBucket,
    cost = 1,
    options: CallOptions = {},
  ): Promise<RateLimitDecision> {
    checkKey(key, 'A rate limit key')
    checkBucket(bucket, cost)
    const redisKey = `${this.prefix}:rl:${scopeSegment(scope)}:${key}`
    throwIfAborted(options.signal, 'consuming rate limit tokens')
    const client = await this.connection.ready('consuming rate limit tokens')
    const reply = await translateErrors('consuming rate limit tokens', () =>
      CONSUME.run(client, [redisKey], [bucket.capacity, bucket.refillPerSecond, cost, NO_REFILL_IDLE_MS]),
    )
    const [allowed, remaining, retryAfterMs] = reply as [number, number, number]
    return {
      allowed: allowed === 1,
      remaining,
      retryAfterMs: retryAfterMs < 0 ? Number.MAX_SAFE_INTEGER : retryAfterMs,
    }
  }

  async close(): Promise<void> {
    if (this.isClosed) return
    this.isClosed = true
    await this.connection.release()
  }
}

function checkBucket(bucket: TokenBucket, cost: number): void {
  if (!Number.isFinite(bucket.capacity) || bucket.capacity <= 0) {
    throw new CoreError('INVALID_INPUT', `bucket.capacity must be a positive number (got ${bucket.capacity})`)
  }
  if (!Number.isFinite(bucket.refillPerSecond) || bucket.refillPerSecond < 0) {
    throw new CoreError(
      'INVALID_INPUT',
      `bucket.refillPerSecond must be zero or a positive number (got ${bucket.refillPerSecond})`,
    )
  }
  if (!Number.isFinite(cost) || cost < 0) {
    throw new CoreError('INVALID_INPUT', `cost must be zero or a positive number (got ${cost})`)
  }
  if (cost > bucket.capacity) {
    throw new CoreError(
      'INVALID_INPUT',
      `cost ${cost} is above the bucket's capacity ${bucket.capacity}: it could never be allowed`,
      { details: { cost, capacity: bucket.capacity } },
    )
  }
}
