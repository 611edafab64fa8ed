import { tenantScope } from '@agentry/contracts'
import { expectCoreError, newId } from '@agentry/contracts/testing'
import { describe, expect, it } from 'vitest'
import { MemoryLock } from './memory-lock.js'

const scope = () => tenantScope(newId())
const wait = { ttlMs: 10_000, waitMs: 10_000 }

describe('MemoryLock', () => {
  it('serves waiters strictly in arrival order', async () => {
    const lock = new MemoryLock()
    const company = scope()
    const holder = await lock.acquire(company, 'session', wait)
    const order: number[] = []
    const waiters = [1, 2, 3, 4].map((index) =>
      lock.acquire(company, 'session', wait).then(async (lease) => {
        order.push(index)
        await lease.release()
      }),
    )
    await holder.release()
    await Promise.all(waiters)
    expect(order).toEqual([1, 2, 3, 4])
    await lock.close()
  })

  it('close fails pending waiters with UNAVAILABLE and later calls too', async () => {
    const lock = new MemoryLock()
    const company = scope()
    await lock.acquire(company, 'k', wait)
    const waiting = lock.acquire(company, 'k', wait)
    await lock.close()
    await expectCoreError(waiting, 'UNAVAILABLE')
    await expectCoreError(lock.acquire(company, 'other', wait), 'UNAVAILABLE')
    await lock.close()
  })

  it('refuses a ttl or wait that is not a sensible number of milliseconds', async () => {
    const lock = new MemoryLock()
    await expectCoreError(lock.acquire(scope(), 'k', { ttlMs: 0, waitMs: 0 }), 'INVALID_INPUT')
    await expectCoreError(lock.acquire(scope(), 'k', { ttlMs: 100, waitMs: -1 }), 'INVALID_INPUT')
    await lock.close()
  })
})
