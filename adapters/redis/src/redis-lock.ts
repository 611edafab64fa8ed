import { randomUUID } from 'node:crypto'
import {
  type AcquireOptions,
  CoreError,
  type Lock,
  type LockLease,
  type SystemScope,
  type TenantScope,
} from '@agentry/contracts'
import { ACQUIRE, EXTEND, LEAVE, RELEASE } from './lock-scripts.js'
import type { SharedRedisClient } from './redis-client.js'
import { throwIfAborted, translateErrors } from './redis-errors.js'
import { checkKey, scopeSegment } from './redis-keys.js'

/** Polling starts at 5 ms and doubles up to this. */
const MAX_POLL_MS = 100
/** A waiter that has not polled for this long loses its place in line (its process likely died). */
const HEARTBEAT_MS = 1_000

export interface RedisLockOptions {
  readonly connection: SharedRedisClient
  readonly prefix: string
}

/**
 * Leases in Redis: `SET key token NX PX ttl` with a random token; release and extend compare the
 * token first (Lua), so a holder whose lease expired can never free or prolong someone else's.
 * Waiters queue in a sorted set by arrival and poll with backoff; the first live waiter takes the
 * lock when it is free, so waiters are served in arrival order.
 */
export class RedisLock implements Lock {
  private readonly connection: SharedRedisClient
  private readonly prefix: string
  private isClosed = false

  constructor(options: RedisLockOptions) {
    this.connection = options.connection
    this.prefix = options.prefix
  }

  async acquire(scope: TenantScope | SystemScope, key: string, options: AcquireOptions): Promise<LockLease> {
    checkKey(key, 'A lock key')
    checkDuration(options.ttlMs, 'ttlMs', 1)
    checkDuration(options.waitMs, 'waitMs', 0)
    const name = `${scopeSegment(scope)}:${key}`
    const lockKey = `${this.prefix}:lock:${name}`
    const lineKeys = [`${this.prefix}:lock-waiters:${name}`, `${this.prefix}:lock-heartbeats:${name}`]
    const token = randomUUID()
    const mode = options.waitMs === 0 ? 'try' : 'wait'
    const deadline = Date.now() + options.waitMs
    const action = `acquiring lock "${key}"`
    let pause = 5
    for (;;) {
      throwIfAborted(options.signal, action)
      const client = await this.connection.ready(action)
      const result = (await translateErrors(action, () =>
        ACQUIRE.run(client, [lockKey, ...lineKeys], [token, options.ttlMs, mode, HEARTBEAT_MS]),
      )) as number
      if (result === -1) return new RedisLockLease(this.connection, key, lockKey, token)
      if (mode === 'try') {
        throw new CoreError('CONFLICT', `Lock "${key}" is held by someone else; retry later or pass waitMs`)
      }
      const remaining = deadline - Date.now()
      if (remaining <= 0) {
        await this.leaveLine(lineKeys, token)
        throw new CoreError('TIMEOUT', `Lock "${key}" was still held after waiting ${options.waitMs} ms`, {
          details: { waitMs: options.waitMs },
        })
      }
      const isAborted = await sleep(Math.min(pause, remaining, result > 0 ? result : pause), options.signal)
      pause = Math.min(pause * 2, MAX_POLL_MS)
      if (isAborted) {
        await this.leaveLine(lineKeys, token)
        throwIfAborted(options.signal, action)
      }
    }
  }

  async close(): Promise<void> {
    if (this.isClosed) return
    this.isClosed = true
    await this.connection.release()
  }

  /** Best effort: a waiter that cannot leave drops out when its heartbeat runs out. */
  private async leaveLine(lineKeys: readonly string[], token: string): Promise<void> {
    try {
      const client = await this.connection.ready('leaving a lock line')
      await LEAVE.run(client, lineKeys, [token])
    } catch {
      // the heartbeat expiry removes it
    }
  }
}

class RedisLockLease implements LockLease {
  constructor(
    private readonly connection: SharedRedisClient,
    readonly key: string,
    private readonly lockKey: string,
    private readonly token: string,
  ) {}

  async release(): Promise<void> {
    const action = `releasing lock "${this.key}"`
    const client = await this.connection.ready(action)
    await translateErrors(action, () => RELEASE.run(client, [this.lockKey], [this.token]))
  }

  async extend(ttlMs: number): Promise<boolean> {
    checkDuration(ttlMs, 'ttlMs', 1)
    const action = `extending lock "${this.key}"`
    const client = await this.connection.ready(action)
    const result = await translateErrors(action, () =>
      EXTEND.run(client, [this.lockKey], [this.token, ttlMs]),
    )
    return result === 1
  }
}

function checkDuration(value: number, name: string, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum) {
    throw new CoreError(
      'INVALID_INPUT',
      `${name} must be an integer of at least ${minimum} ms (got ${value})`,
    )
  }
}

/** Resolves after `ms`, or early with true when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(true)
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer)
      resolve(true)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve(false)
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
