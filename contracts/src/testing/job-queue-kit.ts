import { afterEach, beforeEach, describe, expect } from 'vitest'
import type { JsonValue } from '../common.js'
import { CoreError } from '../errors/core-error.js'
import type { CompanyId, JobId } from '../ids.js'
import type { JobContext, JobQueue } from '../ports/job-queue.js'
import { systemScope, tenantScope } from '../scope.js'
import { expectCoreError } from './expect-core-error.js'
import { newId } from './fixtures.js'
import type { KitOptions } from './kit-options.js'
import { kitTest } from './kit-test.js'
import { sleep, waitUntil } from './wait-until.js'

/**
 * The `JobQueue` contract. `create` is called for every test (tests close the queue) and `cleanup`
 * (default: `close()`) after it. Each test uses its own job kinds and companies, so a queue on a
 * shared server (Redis) can run it. Backoffs are 10 ms; outcomes are polled for, never timed.
 */
export function describeJobQueue(options: KitOptions<JobQueue>): void {
  const test = (title: string, fn: () => Promise<void>) => kitTest(options.skip, title, fn)
  let queue: JobQueue
  const system = systemScope('kit')
  const kind = () => `kit.job-${newId()}`
  const company = () => newId<CompanyId>()
  const settled = (id: JobId) =>
    waitUntil(
      async () => {
        const job = await queue.get(system, id)
        return job && (job.status === 'completed' || job.status === 'failed') ? job : null
      },
      { message: `job ${id} never completed or failed` },
    )
  const gate = () => {
    let open: () => void = () => {}
    const opened = new Promise<void>((resolve) => {
      open = resolve
    })
    return { opened, open }
  }

  describe(`JobQueue conformance: ${options.name}`, () => {
    beforeEach(async () => {
      queue = await options.create()
    })
    afterEach(async () => {
      if (options.cleanup) await options.cleanup(queue)
      else await queue.close()
    })

    test('enqueue returns a waiting job that get finds', async () => {
      const jobKind = kind()
      const companyId = company()
      const job = await queue.enqueue({
        kind: jobKind,
        companyId,
        payload: { documentId: 'd1', pages: [1, 2] },
      })
      expect(job).toMatchObject({
        kind: jobKind,
        companyId,
        payload: { documentId: 'd1', pages: [1, 2] },
        status: 'waiting',
        attempts: 0,
        maxAttempts: 3,
        result: null,
        error: null,
      })
      expect(await queue.get(system, job.id)).toMatchObject({ id: job.id, status: 'waiting', kind: jobKind })
    })

    test('a worker runs the job with its context and stores the result', async () => {
      const jobKind = kind()
      const companyId = company()
      const seen: JobContext[] = []
      queue.process(jobKind, async (context) => {
        seen.push(context)
        return { indexed: true }
      })
      const job = await queue.enqueue({ kind: jobKind, companyId, payload: { n: 1 } }, { attempts: 2 })
      const done = await settled(job.id)
      expect(done).toMatchObject({ status: 'completed', result: { indexed: true }, attempts: 1, error: null })
      expect(seen).toHaveLength(1)
      expect(seen[0]).toMatchObject({
        id: job.id,
        kind: jobKind,
        companyId,
        payload: { n: 1 },
        attempt: 1,
        maxAttempts: 2,
      })
    })

    test('a handler that returns nothing completes with a null result', async () => {
      const jobKind = kind()
      queue.process(jobKind, async () => undefined)
      const job = await queue.enqueue({ kind: jobKind, companyId: null, payload: null })
      expect(await settled(job.id)).toMatchObject({ status: 'completed', result: null })
    })

    test('retries a throwing handler with backoff until it succeeds', async () => {
      const jobKind = kind()
      const attempts: number[] = []
      queue.process(jobKind, async (context) => {
        attempts.push(context.attempt)
        if (context.attempt < 3) throw new Error(`flaky ${context.attempt}`)
        return 'ok'
      })
      const job = await queue.enqueue(
        { kind: jobKind, companyId: null, payload: {} },
        { attempts: 3, backoffMs: 10 },
      )
      expect(await settled(job.id)).toMatchObject({ status: 'completed', result: 'ok', attempts: 3 })
      expect(attempts).toEqual([1, 2, 3])
    })

    test('fails the job after its last attempt and lists it as failed', async () => {
      const jobKind = kind()
      let calls = 0
      queue.process(jobKind, async () => {
        calls += 1
        throw new Error('the document could not be parsed')
      })
      const job = await queue.enqueue(
        { kind: jobKind, companyId: null, payload: {} },
        { attempts: 2, backoffMs: 10 },
      )
      const failed = await settled(job.id)
      expect(failed).toMatchObject({ status: 'failed', attempts: 2 })
      expect(failed.error).toContain('the document could not be parsed')
      expect(calls).toBe(2)
      expect((await queue.listFailed(jobKind)).map((entry) => entry.id)).toEqual([job.id])
      expect(await queue.depth(jobKind)).toMatchObject({ failed: 1, waiting: 0, active: 0, delayed: 0 })
    })

    test('a CoreError that is not retryable fails the job at once', async () => {
      const jobKind = kind()
      let calls = 0
      queue.process(jobKind, async () => {
        calls += 1
        throw new CoreError('INVALID_INPUT', 'the payload names no document')
      })
      const job = await queue.enqueue(
        { kind: jobKind, companyId: null, payload: {} },
        { attempts: 5, backoffMs: 10 },
      )
      expect(await settled(job.id)).toMatchObject({ status: 'failed', attempts: 1 })
      expect(calls).toBe(1)
    })

    test('a retryable CoreError is retried', async () => {
      const jobKind = kind()
      queue.process(jobKind, async (context) => {
        if (context.attempt === 1) throw new CoreError('UNAVAILABLE', 'the model is down')
        return context.attempt
      })
      const job = await queue.enqueue(
        { kind: jobKind, companyId: null, payload: {} },
        { attempts: 3, backoffMs: 10 },
      )
      expect(await settled(job.id)).toMatchObject({ status: 'completed', result: 2 })
    })

    test('the same idempotency key returns the existing job, also after it completed', async () => {
      const jobKind = kind()
      let calls = 0
      const first = await queue.enqueue(
        { kind: jobKind, companyId: null, payload: { n: 1 } },
        { idempotencyKey: 'doc-1' },
      )
      const again = await queue.enqueue(
        { kind: jobKind, companyId: null, payload: { n: 2 } },
        { idempotencyKey: 'doc-1' },
      )
      expect(again.id).toBe(first.id)
      queue.process(jobKind, async () => {
        calls += 1
        return null
      })
      await settled(first.id)
      const afterwards = await queue.enqueue(
        { kind: jobKind, companyId: null, payload: {} },
        { idempotencyKey: 'doc-1' },
      )
      expect(afterwards).toMatchObject({ id: first.id, status: 'completed' })
      expect(calls).toBe(1)
    })

    test('idempotency keys are per kind', async () => {
      const first = await queue.enqueue(
        { kind: kind(), companyId: null, payload: {} },
        { idempotencyKey: 'same' },
      )
      const second = await queue.enqueue(
        { kind: kind(), companyId: null, payload: {} },
        { idempotencyKey: 'same' },
      )
      expect(second.id).not.toBe(first.id)
    })

    test('idempotency keys are per company: another tenant never gets the job back', async () => {
      const jobKind = kind()
      const companyA = newId<CompanyId>()
      const companyB = newId<CompanyId>()
      const first = await queue.enqueue(
        { kind: jobKind, companyId: companyA, payload: { owner: 'a' } },
        { idempotencyKey: 'k' },
      )
      const second = await queue.enqueue(
        { kind: jobKind, companyId: companyB, payload: { owner: 'b' } },
        { idempotencyKey: 'k' },
      )
      expect(second.id).not.toBe(first.id)
      expect(second).toMatchObject({ companyId: companyB, payload: { owner: 'b' } })
    })

    test('a delayed job is reported delayed, then runs', async () => {
      const jobKind = kind()
      const job = await queue.enqueue({ kind: jobKind, companyId: null, payload: {} }, { delayMs: 200 })
      expect(job.status).toBe('delayed')
      expect(await queue.depth(jobKind)).toMatchObject({ delayed: 1, waiting: 0 })
      queue.process(jobKind, async () => 'late')
      expect(await settled(job.id)).toMatchObject({ status: 'completed', result: 'late' })
    })

    test('depth counts waiting and active jobs of the kind', async () => {
      const jobKind = kind()
      const release = gate()
      for (let index = 0; index < 3; index += 1) {
        await queue.enqueue({ kind: jobKind, companyId: null, payload: { index } })
      }
      expect(await queue.depth(jobKind)).toEqual({ waiting: 3, delayed: 0, active: 0, failed: 0 })
      queue.process(jobKind, async () => {
        await release.opened
        return null
      })
      await waitUntil(async () => {
        const depth = await queue.depth(jobKind)
        return depth.active === 1 && depth.waiting === 2
      })
      release.open()
      await waitUntil(
        async () => (await queue.depth(jobKind)).waiting + (await queue.depth(jobKind)).active === 0,
      )
    })

    test('jobs of one kind start in enqueue order', async () => {
      const jobKind = kind()
      const started: number[] = []
      const jobs = []
      for (let index = 0; index < 5; index += 1) {
        jobs.push(await queue.enqueue({ kind: jobKind, companyId: null, payload: index }))
      }
      queue.process(jobKind, async (context) => {
        started.push(context.payload as number)
        return null
      })
      for (const job of jobs) await settled(job.id)
      expect(started).toEqual([0, 1, 2, 3, 4])
    })

    test('runs at most `concurrency` jobs of a kind at a time (default 1)', async () => {
      for (const concurrency of [undefined, 2]) {
        const jobKind = kind()
        const release = gate()
        let running = 0
        let maxRunning = 0
        queue.process(
          jobKind,
          async () => {
            running += 1
            maxRunning = Math.max(maxRunning, running)
            await release.opened
            running -= 1
            return null
          },
          concurrency === undefined ? {} : { concurrency },
        )
        const jobs = []
        for (let index = 0; index < 5; index += 1)
          jobs.push(await queue.enqueue({ kind: jobKind, companyId: null, payload: index }))
        await waitUntil(() => running === (concurrency ?? 1))
        await sleep(50)
        release.open()
        for (const job of jobs) await settled(job.id)
        expect(maxRunning).toBe(concurrency ?? 1)
      }
    })

    test('get under a tenant scope sees only that company’s jobs', async () => {
      const jobKind = kind()
      const owner = company()
      const job = await queue.enqueue({ kind: jobKind, companyId: owner, payload: {} })
      const platformJob = await queue.enqueue({ kind: jobKind, companyId: null, payload: {} })
      expect(await queue.get(tenantScope(owner), job.id)).toMatchObject({ id: job.id, companyId: owner })
      expect(await queue.get(tenantScope(company()), job.id)).toBeNull()
      expect(await queue.get(tenantScope(owner), platformJob.id)).toBeNull()
      expect(await queue.get(system, platformJob.id)).toMatchObject({ id: platformJob.id })
    })

    test('get returns null for an unknown id', async () => {
      expect(await queue.get(system, newId<JobId>())).toBeNull()
    })

    test('listFailed returns at most limit jobs', async () => {
      const jobKind = kind()
      queue.process(
        jobKind,
        async () => {
          throw new CoreError('INVALID_INPUT', 'always wrong')
        },
        { concurrency: 3 },
      )
      const jobs = []
      for (let index = 0; index < 3; index += 1)
        jobs.push(await queue.enqueue({ kind: jobKind, companyId: null, payload: index }))
      for (const job of jobs) await settled(job.id)
      expect(await queue.listFailed(jobKind, 2)).toHaveLength(2)
      expect(await queue.listFailed(jobKind)).toHaveLength(3)
    })

    test('worker.stop waits for running jobs, and stopped workers take no new jobs', async () => {
      const jobKind = kind()
      const release = gate()
      let isStopped = false
      const worker = queue.process(jobKind, async () => {
        await release.opened
        return 'finished'
      })
      const job = await queue.enqueue({ kind: jobKind, companyId: null, payload: {} })
      await waitUntil(async () => (await queue.get(system, job.id))?.status === 'active')
      const stopping = worker.stop().then(() => {
        isStopped = true
      })
      await sleep(50)
      expect(isStopped).toBe(false)
      release.open()
      await stopping
      expect(await queue.get(system, job.id)).toMatchObject({ status: 'completed', result: 'finished' })
      const later = await queue.enqueue({ kind: jobKind, companyId: null, payload: {} })
      await sleep(100)
      expect(await queue.get(system, later.id)).toMatchObject({ status: 'waiting' })
    })

    test('close aborts running jobs’ signals and waits for them', async () => {
      const jobKind = kind()
      let sawAbort = false
      let hasFinished = false
      queue.process(jobKind, async (context) => {
        await new Promise<void>((resolve) => {
          if (context.signal.aborted) resolve()
          context.signal.addEventListener('abort', () => resolve(), { once: true })
        })
        sawAbort = true
        await sleep(50)
        hasFinished = true
        return null
      })
      const job = await queue.enqueue({ kind: jobKind, companyId: null, payload: {} })
      await waitUntil(async () => (await queue.get(system, job.id))?.status === 'active')
      await queue.close()
      expect(sawAbort).toBe(true)
      expect(hasFinished).toBe(true)
      await queue.close()
    })

    test('an already-aborted signal fails with CANCELLED', async () => {
      const signal = AbortSignal.abort()
      const jobKind = kind()
      await expectCoreError(
        queue.enqueue({ kind: jobKind, companyId: null, payload: {} }, { signal }),
        'CANCELLED',
      )
      expect(await queue.depth(jobKind)).toMatchObject({ waiting: 0 })
      await expectCoreError(queue.get(system, newId<JobId>(), { signal }), 'CANCELLED')
      await expectCoreError(queue.depth(jobKind, { signal }), 'CANCELLED')
      await expectCoreError(queue.listFailed(jobKind, 10, { signal }), 'CANCELLED')
    })

    test('payloads and results round-trip as JSON', async () => {
      const jobKind = kind()
      const payload: JsonValue = { text: 'héllo ✓', nested: { list: [1, 2.5, true, null] } }
      queue.process(jobKind, async (context) => ({ echo: context.payload }))
      const job = await queue.enqueue({ kind: jobKind, companyId: null, payload })
      expect(await settled(job.id)).toMatchObject({ payload, result: { echo: payload } })
    })
  })
}
