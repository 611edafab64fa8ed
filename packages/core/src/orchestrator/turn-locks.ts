import type { Lock, LockLease, TenantScope } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'

export interface TurnLockOptions {
  readonly ttlMs: number
  readonly waitMs: number
  readonly signal?: AbortSignal
}

/**
 * The locks one turn holds: `turn-key:<key>` for an idempotency key (so a retry waits for the first
 * attempt and then replays it) and `session:<id>` (one turn at a time per session). Always taken
 * in that order, so two turns never wait on each other crosswise.
 */
export class TurnLocks {
  readonly #leases: LockLease[]
  readonly #ttlMs: number

  private constructor(leases: LockLease[], ttlMs: number) {
    this.#leases = leases
    this.#ttlMs = ttlMs
  }

  static async acquire(
    lock: Lock,
    scope: TenantScope,
    keys: { readonly idempotencyKey?: string; readonly sessionId?: string },
    options: TurnLockOptions,
  ): Promise<TurnLocks> {
    const wanted: { key: string; what: string }[] = []
    if (keys.idempotencyKey !== undefined) {
      wanted.push({ key: `turn-key:${keys.idempotencyKey}`, what: 'A turn with this idempotency key' })
    }
    if (keys.sessionId !== undefined) {
      wanted.push({ key: `session:${keys.sessionId}`, what: `Another turn on session ${keys.sessionId}` })
    }
    const leases: LockLease[] = []
    try {
      for (const { key, what } of wanted) {
        try {
          leases.push(await lock.acquire(scope, key, options))
        } catch (error) {
          if (!CoreError.hasCode(error, 'TIMEOUT')) throw error
          throw new CoreError(
            'TIMEOUT',
            `${what} is still running after ${options.waitMs} ms: retry later.`,
            {
              cause: error,
              isRetryable: true,
            },
          )
        }
      }
    } catch (error) {
      await Promise.allSettled(leases.map((lease) => lease.release()))
      throw error
    }
    return new TurnLocks(leases, options.ttlMs)
  }

  /** Pushes every lease's expiry out; false when one was lost (it expired and another turn took it). */
  async extend(): Promise<boolean> {
    if (this.#leases.length === 0) return true
    const results = await Promise.all(this.#leases.map((lease) => lease.extend(this.#ttlMs)))
    return results.every(Boolean)
  }

  async release(): Promise<void> {
    await Promise.allSettled(this.#leases.map((lease) => lease.release()))
  }
}
