import type { CallOptions } from '../common.js'
import type { SystemScope, TenantScope } from '../scope.js'

export interface AcquireOptions extends CallOptions {
  /** The lease expires after this long unless extended, so a crashed holder cannot block forever. */
  readonly ttlMs: number
  /** How long to wait for a held lock before giving up with `TIMEOUT`; 0 fails at once with `CONFLICT`. */
  readonly waitMs: number
}

export interface LockLease {
  readonly key: string
  /** Releases the lease if it is still this holder's; a no-op after expiry or a second release. */
  release(): Promise<void>
  /** Pushes expiry to now + ttlMs; false when the lease was already lost. */
  extend(ttlMs: number): Promise<boolean>
}

/**
 * Mutual exclusion by key, used for "one turn at a time per session". Keys live inside the scope:
 * company A's `x` and company B's `x` are different locks. Waiters are served roughly in arrival
 * order. Throws `TIMEOUT` after `waitMs`, `CONFLICT` when `waitMs` is 0 and the lock is held,
 * `CANCELLED` on abort, `UNAVAILABLE` when the backing service is down.
 */
export interface Lock {
  acquire(scope: TenantScope | SystemScope, key: string, options: AcquireOptions): Promise<LockLease>
  close(): Promise<void>
}
