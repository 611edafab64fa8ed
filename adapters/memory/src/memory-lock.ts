import {
  type AcquireOptions,
  CoreError,
  type Lock,
  type LockLease,
  type SystemScope,
  type TenantScope,
} from '@agentry/contracts'
import { throwIfAborted } from './abort.js'
import { scopedKey } from './scope-key.js'

interface Holder {
  readonly token: number
  timer: ReturnType<typeof setTimeout>
}

interface Waiter {
  readonly ttlMs: number
  readonly grant: (token: number) => void
}

interface Entry {
  holder: Holder | null
  readonly waiters: Waiter[]
}

/**
 * In-process locks: a holder per key, waiters served first come first served, leases that expire
 * after their ttl and are told apart by a token, so a stale holder can neither release nor extend
 * the next one's lease. Single process only.
 */
export class MemoryLock implements Lock {
  readonly #entries = new Map<string, Entry>()
  #nextToken = 1
  #isClosed = false
  readonly #closers = new Set<() => void>()

  async acquire(scope: TenantScope | SystemScope, key: string, options: AcquireOptions): Promise<LockLease> {
    throwIfAborted(options, `Acquiring lock "${key}"`)
    if (this.#isClosed) throw new CoreError('UNAVAILABLE', 'The lock was closed: create a new MemoryLock')
    validate(options)
    const id = scopedKey(scope, key)
    const entry = this.#entry(id)
    if (entry.holder === null) return this.#grant(id, key, entry, options.ttlMs)
    if (options.waitMs === 0) {
      throw new CoreError('CONFLICT', `Lock "${key}" is held by someone else: retry later or wait for it`)
    }
    return this.#wait(id, key, entry, options)
  }

  async close(): Promise<void> {
    if (this.#isClosed) return
    this.#isClosed = true
    for (const close of [...this.#closers]) close()
    for (const entry of this.#entries.values()) if (entry.holder) clearTimeout(entry.holder.timer)
    this.#entries.clear()
  }

  #entry(id: string): Entry {
    let entry = this.#entries.get(id)
    if (!entry) {
      entry = { holder: null, waiters: [] }
      this.#entries.set(id, entry)
    }
    return entry
  }

  #wait(id: string, key: string, entry: Entry, options: AcquireOptions): Promise<LockLease> {
    return new Promise<LockLease>((resolve, reject) => {
      const settle = (error: CoreError | null, token?: number) => {
        clearTimeout(timer)
        options.signal?.removeEventListener('abort', onAbort)
        this.#closers.delete(onClose)
        const index = entry.waiters.indexOf(waiter)
        if (index >= 0) entry.waiters.splice(index, 1)
        if (error) reject(error)
        else resolve(this.#lease(id, key, token ?? 0))
      }
      const waiter: Waiter = { ttlMs: options.ttlMs, grant: (token) => settle(null, token) }
      const onAbort = () =>
        settle(
          new CoreError('CANCELLED', `Waiting for lock "${key}" was cancelled`, {
            cause: options.signal?.reason,
          }),
        )
      const onClose = () => settle(new CoreError('UNAVAILABLE', `The lock closed while waiting for "${key}"`))
      const timer = setTimeout(
        () =>
          settle(new CoreError('TIMEOUT', `Lock "${key}" stayed held for ${options.waitMs} ms: retry later`)),
        options.waitMs,
      )
      entry.waiters.push(waiter)
      options.signal?.addEventListener('abort', onAbort, { once: true })
      this.#closers.add(onClose)
    })
  }

  #grant(id: string, key: string, entry: Entry, ttlMs: number): LockLease {
    const token = this.#take(id, entry, ttlMs)
    return this.#lease(id, key, token)
  }

  #take(id: string, entry: Entry, ttlMs: number): number {
    const token = this.#nextToken++
    entry.holder = { token, timer: this.#expiry(id, token, ttlMs) }
    return token
  }

  #expiry(id: string, token: number, ttlMs: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => this.#release(id, token), ttlMs)
    timer.unref?.()
    return timer
  }

  #release(id: string, token: number): void {
    const entry = this.#entries.get(id)
    if (!entry || entry.holder?.token !== token) return
    clearTimeout(entry.holder.timer)
    entry.holder = null
    const next = entry.waiters.shift()
    if (next) {
      next.grant(this.#take(id, entry, next.ttlMs))
      return
    }
    this.#entries.delete(id)
  }

  #lease(id: string, key: string, token: number): LockLease {
    return {
      key,
      release: async () => this.#release(id, token),
      extend: async (ttlMs: number) => {
        const holder = this.#entries.get(id)?.holder
        if (!holder || holder.token !== token) return false
        clearTimeout(holder.timer)
        holder.timer = this.#expiry(id, token, ttlMs)
        return true
      },
    }
  }
}

function validate(options: AcquireOptions): void {
  if (!(Number.isFinite(options.ttlMs) && options.ttlMs > 0)) {
    throw new CoreError(
      'INVALID_INPUT',
      `ttlMs must be a positive number of milliseconds, got ${options.ttlMs}`,
    )
  }
  if (!(Number.isFinite(options.waitMs) && options.waitMs >= 0)) {
    throw new CoreError('INVALID_INPUT', `waitMs must be 0 or more milliseconds, got ${options.waitMs}`)
  }
}
