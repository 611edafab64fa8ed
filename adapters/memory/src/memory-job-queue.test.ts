import { type JsonValue, systemScope } from '@agentry/contracts'
import { expectCoreError, waitUntil } from '@agentry/contracts/testing'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { MemoryJobQueue } from './memory-job-queue.js'

const system = systemScope('test')

describe('MemoryJobQueue', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('waits backoffMs * 2^(n-1) before retry n', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const queue = new MemoryJobQueue()
    const startedAt: number[] = []
    queue.process('flaky', async () => {
      startedAt.push(Date.now())
      throw new Error('down')
    })
    await queue.enqueue({ kind: 'flaky', companyId: null, payload: null }, { attempts: 4, backoffMs: 100 })
    await vi.advanceTimersByTimeAsync(2000)
    expect(startedAt.slice(1).map((at, index) => at - (startedAt[index] ?? 0))).toEqual([100, 200, 400])
    await queue.close()
  })

  it('starts a delayed job only once its delay has passed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const queue = new MemoryJobQueue()
    let isStarted = false
    queue.process('later', async () => {
      isStarted = true
      return null
    })
    await queue.enqueue({ kind: 'later', companyId: null, payload: null }, { delayMs: 1000 })
    await vi.advanceTimersByTimeAsync(999)
    expect(isStarted).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(isStarted).toBe(true)
    await queue.close()
  })

  it('close stops waiting for a handler that ignores its signal after the grace period', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const queue = new MemoryJobQueue({ closeGraceMs: 500 })
    queue.process('stuck', () => new Promise<JsonValue>(() => {}))
    const job = await queue.enqueue({ kind: 'stuck', companyId: null, payload: null })
    await vi.advanceTimersByTimeAsync(0)
    expect((await queue.get(system, job.id))?.status).toBe('active')
    let isClosed = false
    const closing = queue.close().then(() => {
      isClosed = true
    })
    await vi.advanceTimersByTimeAsync(499)
    expect(isClosed).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    await closing
    expect(isClosed).toBe(true)
  })

  it('forgets the oldest finished jobs beyond maxFinishedJobs, freeing their idempotency keys', async () => {
    const queue = new MemoryJobQueue({ maxFinishedJobs: 2 })
    queue.process('work', async () => null)
    const jobs = []
    for (const key of ['a', 'b', 'c']) {
      const job = await queue.enqueue(
        { kind: 'work', companyId: null, payload: null },
        { idempotencyKey: key },
      )
      await waitUntil(async () => (await queue.get(system, job.id))?.status === 'completed')
      jobs.push(job)
    }
    expect(await queue.get(system, jobs[0]!.id)).toBeNull()
    expect(await queue.get(system, jobs[2]!.id)).not.toBeNull()
    const again = await queue.enqueue(
      { kind: 'work', companyId: null, payload: null },
      { idempotencyKey: 'a' },
    )
    expect(again.id).not.toBe(jobs[0]!.id)
    await queue.close()
  })

  it('copies payloads: changing the enqueued object does not change the job', async () => {
    const queue = new MemoryJobQueue()
    const payload = { items: [1, 2] }
    const seen: JsonValue[] = []
    const job = await queue.enqueue({ kind: 'copy', companyId: null, payload })
    payload.items.push(3)
    queue.process('copy', async (context) => {
      seen.push(context.payload)
      return null
    })
    await waitUntil(async () => (await queue.get(system, job.id))?.status === 'completed')
    expect(seen).toEqual([{ items: [1, 2] }])
    await queue.close()
  })

  it('refuses bad options and work after close', async () => {
    const queue = new MemoryJobQueue()
    await expectCoreError(
      queue.enqueue({ kind: 'x', companyId: null, payload: null }, { attempts: 0 }),
      'INVALID_INPUT',
    )
    await expectCoreError(queue.enqueue({ kind: '', companyId: null, payload: null }), 'INVALID_INPUT')
    expect(() => queue.process('x', async () => null, { concurrency: 0 })).toThrow(/concurrency/)
    await queue.close()
    await expectCoreError(queue.enqueue({ kind: 'x', companyId: null, payload: null }), 'UNAVAILABLE')
    expect(() => queue.process('x', async () => null)).toThrow(/closed/)
  })
})
