import {
  type CallOptions,
  type Clock,
  CoreError,
  type RateLimitDecision,
  type RateLimiter,
  type SystemScope,
  systemClock,
  type TenantScope,
  type TokenBucket,
} from '@agentry/contracts'
import { throwIfAborted } from './abort.js'
import { scopedKey } from './scope-key.js'

export interface MemoryRateLimiterOptions {
  /** Time source; tests pass a clock they move by hand. */
  readonly clock?: Clock
}

interface BucketState {
  tokens: number
  updatedAtMs: number
  /** When the bucket is full again and can be forgotten. */
  fullAtMs: number
}

const SWEEP_EVERY = 1000

/**
 * Token buckets in a map. Each `consume` is one synchronous step, so concurrent callers never
 * overdraw. Buckets that have refilled completely are forgotten now and then, which changes nothing
 * observable (a missing bucket is a full one). Single process only.
 */
export class MemoryRateLimiter implements RateLimiter {
  readonly #clock: Clock
  readonly #buckets = new Map<string, BucketState>()
  #calls = 0

  constructor(options: MemoryRateLimiterOptions = {}) {
    this.#clock = options.clock ?? systemClock
  }

  async consume(
    scope: TenantScope | SystemScope,
    key: string,
    bucket: TokenBucket,
    cost = 1,
    options?: CallOptions,
  ): Promise<RateLimitDecision> {
    throwIfAborted(options, `Rate limiting "${key}"`)
    validate(bucket, cost)
    const now = this.#clock.now().getTime()
    const id = scopedKey(scope, key)
    const state = this.#buckets.get(id)
    let tokens = bucket.capacity
    if (state) {
      const elapsedMs = Math.max(0, now - state.updatedAtMs)
      tokens = Math.min(bucket.capacity, state.tokens + (elapsedMs * bucket.refillPerSecond) / 1000)
    }
    const allowed = tokens >= cost
    if (allowed) tokens -= cost
    const missing = bucket.capacity - tokens
    const fullAtMs =
      bucket.refillPerSecond > 0 ? now + (missing * 1000) / bucket.refillPerSecond : Number.POSITIVE_INFINITY
    this.#buckets.set(id, { tokens, updatedAtMs: now, fullAtMs })
    this.#sweep(now)
    return {
      allowed,
      remaining: Math.floor(tokens + 1e-9),
      retryAfterMs: allowed ? 0 : retryAfter(cost - tokens, bucket.refillPerSecond),
    }
  }

  async close(): Promise<void> {
    this.#buckets.clear()
  }

  #sweep(now: number): void {
    this.#calls += 1
    if (this.#calls % SWEEP_EVERY !== 0) return
    for (const [id, state] of this.#buckets) if (state.fullAtMs <= now) this.#buckets.delete(id)
  }
}

function retryAfter(missing: number, refillPerSecond: number): number {
  if (refillPerSecond <= 0) return Number.MAX_SAFE_INTEGER
  return Math.max(1, Math.ceil((missing * 1000) / refillPerSecond))
}

function validate(bucket: TokenBucket, cost: number): void {
  if (!(Number.isFinite(bucket.capacity) && bucket.capacity > 0)) {
    throw new CoreError('INVALID_INPUT', `Bucket capacity must be a positive number, got ${bucket.capacity}`)
  }
  if (!(Number.isFinite(bucket.refillPerSecond) && bucket.refillPerSecond >= 0)) {
    throw new CoreError('INVALID_INPUT', `refillPerSecond must be 0 or more, got ${bucket.refillPerSecond}`)
  }
  if (!(Number.isFinite(cost) && cost > 0)) {
    throw new CoreError('INVALID_INPUT', `Cost must be a positive number, got ${cost}`)
  }
  if (cost > bucket.capacity) {
    throw new CoreError(
      'INVALID_INPUT',
      `Cost ${cost} is above the bucket's capacity ${bucket.capacity}: it could never be allowed`,
      { details: { cost, capacity: bucket.capacity } },
    )
  }
}
