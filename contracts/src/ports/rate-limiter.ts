import type { CallOptions } from '../common.js'
import type { SystemScope, TenantScope } from '../scope.js'

/** A token bucket: holds at most `capacity` tokens and gains `refillPerSecond` per second. */
export interface TokenBucket {
  readonly capacity: number
  readonly refillPerSecond: number
}

export interface RateLimitDecision {
  readonly allowed: boolean
  /** Whole tokens left after this call. */
  readonly remaining: number
  /** When refused: how long until `cost` tokens are available. 0 when allowed. */
  readonly retryAfterMs: number
}

/**
 * Token buckets by key. `consume` is atomic: concurrent callers never overdraw a bucket. A refused
 * call takes nothing. Keys live inside the scope (company A's `k` is not company B's `k`).
 * A cost above `capacity` is `INVALID_INPUT`. May throw `UNAVAILABLE`.
 */
export interface RateLimiter {
  consume(
    scope: TenantScope | SystemScope,
    key: string,
    bucket: TokenBucket,
    cost?: number,
    options?: CallOptions,
  ): Promise<RateLimitDecision>
  close(): Promise<void>
}
