import { afterAll, beforeAll, describe, expect } from 'vitest'
import type { CompanyId } from '../ids.js'
import type { Lock, LockLease } from '../ports/lock.js'
import { systemScope, tenantScope } from '../scope.js'
import { expectCoreError } from './expect-core-error.js'
import { newId } from './fixtures.js'
import type { KitOptions } from './kit-options.js'
import { kitTest } from './kit-test.js'
import { sleep, waitUntil } from './wait-until.js'

/**
 * The `Lock` contract. `create` is called once for the kit and the subject is shared by every test;
 * each test uses fresh keys and companies, so a lock backed by a shared server (Redis) can run it.
 * Timing is real but small (TTLs of 200 ms); outcomes are polled for, never timed.
 */
export function describeLock(options: KitOptions<Lock>): void {
  const test = (title: string, fn: () => Promise<void>) => kitTest(options.skip, title, fn)
  let lock: Lock
  const tenant = () => tenantScope(newId<CompanyId>())
  const key = () => `kit-lock-${newId()}`
  const long = { ttlMs: 10_000, waitMs: 0 }

  describe(`Lock conformance: ${options.name}`, () => {
    beforeAll(async () => {
      lock = await options.create()
    })
    afterAll(async () => {
      if (options.cleanup) await options.cleanup(lock)
      else await lock.close()
    })

    test('acquires a free lock and reports its key', async () => {
      const name = key()
      const lease = await lock.acquire(tenant(), name, long)
      expect(lease.key).toBe(name)
      await lease.release()
    })

    test('refuses a held lock with CONFLICT when waitMs is 0', async () => {
      const scope = tenant()
      const name = key()
      const lease = await lock.acquire(scope, name, long)
      await expectCoreError(lock.acquire(scope, name, long), 'CONFLICT')
      await lease.release()
    })

    test('a released lock can be taken again at once', async () => {
      const scope = tenant()
      const name = key()
      const first = await lock.acquire(scope, name, long)
      await first.release()
      const second = await lock.acquire(scope, name, long)
      await second.release()
    })

    test('a second release is a no-op', async () => {
      const scope = tenant()
      const name = key()
      const first = await lock.acquire(scope, name, long)
      await first.release()
      const second = await lock.acquire(scope, name, long)
      await first.release()
      await expectCoreError(lock.acquire(scope, name, long), 'CONFLICT')
      await second.release()
    })

    test('a waiter gets the lock once the holder releases it', async () => {
      const scope = tenant()
      const name = key()
      const holder = await lock.acquire(scope, name, long)
      let isGranted = false
      const waiting = lock.acquire(scope, name, { ttlMs: 10_000, waitMs: 10_000 }).then((lease) => {
        isGranted = true
        return lease
      })
      await sleep(50)
      expect(isGranted).toBe(false)
      await holder.release()
      const lease = await waiting
      expect(lease.key).toBe(name)
      await lease.release()
    })

    test('gives up with TIMEOUT after waitMs and does not take the lock later', async () => {
      const scope = tenant()
      const name = key()
      const holder = await lock.acquire(scope, name, long)
      await expectCoreError(lock.acquire(scope, name, { ttlMs: 10_000, waitMs: 100 }), 'TIMEOUT')
      await holder.release()
      const next = await lock.acquire(scope, name, long)
      await next.release()
    })

    test('keeps holders apart: concurrent critical sections never overlap', async () => {
      const scope = tenant()
      const name = key()
      let inside = 0
      let maxInside = 0
      let entered = 0
      const worker = async () => {
        const lease = await lock.acquire(scope, name, { ttlMs: 10_000, waitMs: 10_000 })
        inside += 1
        entered += 1
        maxInside = Math.max(maxInside, inside)
        await sleep(5)
        inside -= 1
        await lease.release()
      }
      await Promise.all(Array.from({ length: 6 }, worker))
      expect(entered).toBe(6)
      expect(maxInside).toBe(1)
    })

    test('a lease expires after its ttl, and a waiter then gets the lock', async () => {
      const scope = tenant()
      const name = key()
      await lock.acquire(scope, name, { ttlMs: 200, waitMs: 0 })
      const next = await lock.acquire(scope, name, { ttlMs: 10_000, waitMs: 10_000 })
      expect(next.key).toBe(name)
      await next.release()
    })

    test('an expired lease cannot release or extend the next holder', async () => {
      const scope = tenant()
      const name = key()
      const stale = await lock.acquire(scope, name, { ttlMs: 200, waitMs: 0 })
      const current = await lock.acquire(scope, name, { ttlMs: 10_000, waitMs: 10_000 })
      expect(await stale.extend(10_000)).toBe(false)
      await stale.release()
      await expectCoreError(lock.acquire(scope, name, long), 'CONFLICT')
      await current.release()
    })

    test('extend keeps the lease past its first ttl', async () => {
      const scope = tenant()
      const name = key()
      const lease = await lock.acquire(scope, name, { ttlMs: 200, waitMs: 0 })
      expect(await lease.extend(10_000)).toBe(true)
      await sleep(400)
      await expectCoreError(lock.acquire(scope, name, long), 'CONFLICT')
      await lease.release()
    })

    test('extend after release reports the lease lost', async () => {
      const lease = await lock.acquire(tenant(), key(), long)
      await lease.release()
      expect(await lease.extend(10_000)).toBe(false)
    })

    test('the same key in two companies names two different locks', async () => {
      const name = key()
      const first = await lock.acquire(tenant(), name, long)
      const second = await lock.acquire(tenant(), name, long)
      const platform = await lock.acquire(systemScope('kit'), name, long)
      await Promise.all([first.release(), second.release(), platform.release()])
    })

    test('different keys in one company are independent', async () => {
      const scope = tenant()
      const first = await lock.acquire(scope, key(), long)
      const second = await lock.acquire(scope, key(), long)
      await Promise.all([first.release(), second.release()])
    })

    test('an already-aborted signal fails with CANCELLED and takes nothing', async () => {
      const scope = tenant()
      const name = key()
      await expectCoreError(lock.acquire(scope, name, { ...long, signal: AbortSignal.abort() }), 'CANCELLED')
      const lease = await lock.acquire(scope, name, long)
      await lease.release()
    })

    test('aborting a waiter fails it with CANCELLED and it never gets the lock', async () => {
      const scope = tenant()
      const name = key()
      const holder = await lock.acquire(scope, name, long)
      const controller = new AbortController()
      const waiting = lock.acquire(scope, name, { ttlMs: 10_000, waitMs: 10_000, signal: controller.signal })
      await sleep(20)
      controller.abort()
      await expectCoreError(waiting, 'CANCELLED')
      await holder.release()
      const next: LockLease = await lock.acquire(scope, name, long)
      await next.release()
    })

    test('every waiter is served once as holders come and go', async () => {
      const scope = tenant()
      const name = key()
      const holder = await lock.acquire(scope, name, long)
      const served: number[] = []
      const waiters = [1, 2, 3].map((index) =>
        lock.acquire(scope, name, { ttlMs: 10_000, waitMs: 10_000 }).then(async (lease) => {
          served.push(index)
          await lease.release()
        }),
      )
      await holder.release()
      await Promise.all(waiters)
      await waitUntil(() => served.length === 3)
      expect([...served].sort()).toEqual([1, 2, 3])
    })
  })
}
