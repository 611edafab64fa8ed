import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { type CompanyId, type JobContext, type JobId, systemScope } from '@agentry/contracts'
import { newId, waitUntil } from '@agentry/contracts/testing'
import { afterAll, afterEach, expect, it } from 'vitest'
import type { RedisQueueConfig } from '../src/redis-config.js'
import type { RedisJobQueue } from '../src/redis-job-queue.js'
import { deleteKeys, describeWithRedis, makeJobQueue, REDIS_URL, testPrefix } from './redis-test-env.js'

const prefix = testPrefix('job-queue')
const system = systemScope('job queue test')
const fixture = fileURLToPath(new URL('./fixtures/hanging-worker.ts', import.meta.url))

describeWithRedis('RedisJobQueue on a real Redis', () => {
  const open: RedisJobQueue[] = []
  const queue = (overrides: Partial<RedisQueueConfig> = {}) => {
    const made = makeJobQueue(prefix, overrides)
    open.push(made)
    return made
  }
  const kind = (name: string) => `${name}-${newId().slice(-12)}`
  const settled = (subject: RedisJobQueue, id: JobId) =>
    waitUntil(
      async () => {
        const job = await subject.get(system, id)
        return job?.status === 'completed' || job?.status === 'failed' ? job : null
      },
      { timeoutMs: 20_000, message: `job ${id} never settled` },
    )

  afterEach(async () => {
    await Promise.all(open.splice(0).map((subject) => subject.close()))
  })
  afterAll(() => deleteKeys(prefix))

  it('two queue instances enqueueing with one idempotency key at once make one job, run once', async () => {
    const jobKind = kind('kb.index')
    const companyId = newId<CompanyId>()
    const [first, second] = [queue(), queue()]
    const made = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        (index % 2 === 0 ? first : second).enqueue(
          { kind: jobKind, companyId, payload: { documentId: 'doc-7' } },
          { idempotencyKey: 'document-7-v1' },
        ),
      ),
    )
    expect(new Set(made.map((job) => job.id)).size).toBe(1)
    expect(await first.depth(jobKind)).toMatchObject({ waiting: 1 })
    let runs = 0
    second.process(jobKind, async () => {
      runs += 1
      return null
    })
    await settled(first, made[0]!.id)
    const again = await first.enqueue(
      { kind: jobKind, companyId, payload: { documentId: 'doc-7' } },
      { idempotencyKey: 'document-7-v1' },
    )
    expect(again).toMatchObject({ id: made[0]!.id, status: 'completed' })
    expect(runs).toBe(1)
  })

  it('the same idempotency key in two companies makes two jobs', async () => {
    const jobKind = kind('kb.index')
    const subject = queue()
    const first = await subject.enqueue(
      { kind: jobKind, companyId: newId<CompanyId>(), payload: 1 },
      { idempotencyKey: 'k' },
    )
    const second = await subject.enqueue(
      { kind: jobKind, companyId: newId<CompanyId>(), payload: 2 },
      { idempotencyKey: 'k' },
    )
    expect(second.id).not.toBe(first.id)
  })

  it('a job whose worker process is killed mid-way is run again elsewhere and completes once', async () => {
    const jobKind = kind('kb.index')
    const subject = queue({ lockDurationMs: 1_000, stalledIntervalMs: 500 })
    const job = await subject.enqueue(
      { kind: jobKind, companyId: newId<CompanyId>(), payload: {} },
      { attempts: 3 },
    )
    const child = spawn(
      process.execPath,
      ['--conditions=@agentry/source', '--import', 'tsx', fixture, REDIS_URL, prefix, jobKind],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    try {
      await waitUntil(() => output.includes(`started ${job.id}`), {
        timeoutMs: 20_000,
        message: 'the worker process never started the job',
      })
    } finally {
      const exited = once(child, 'exit')
      child.kill('SIGKILL')
      await exited
    }
    expect((await subject.get(system, job.id))?.status, 'the killed worker still holds the job').toBe(
      'active',
    )

    const runs: JobContext[] = []
    subject.process(jobKind, async (context) => {
      runs.push(context)
      return 'indexed'
    })
    const done = await settled(subject, job.id)
    expect(done).toMatchObject({ status: 'completed', result: 'indexed', attempts: 2 })
    expect(runs.map((context) => context.attempt)).toEqual([2])
    expect(await subject.depth(jobKind)).toEqual({ waiting: 0, delayed: 0, active: 0, failed: 0 })
  })

  it('close hands a job whose handler gives up on the abort back to the queue, without spending an attempt', async () => {
    const jobKind = kind('kb.index')
    const closing = queue()
    closing.process(jobKind, async (context) => {
      await new Promise((resolve) => context.signal.addEventListener('abort', resolve, { once: true }))
      throw new Error('interrupted by shutdown')
    })
    const job = await closing.enqueue({ kind: jobKind, companyId: null, payload: {} }, { attempts: 1 })
    await waitUntil(async () => (await closing.get(system, job.id))?.status === 'active')
    await closing.close()

    const next = queue()
    expect(await next.get(system, job.id)).toMatchObject({ status: 'waiting', error: null })
    next.process(jobKind, async () => 'done')
    expect(await settled(next, job.id)).toMatchObject({ status: 'completed', result: 'done' })
  })

  it('close cuts a handler that ignores the abort after the grace period; its job runs again elsewhere', async () => {
    const jobKind = kind('kb.index')
    const stubborn = queue({ closeGraceMs: 200, lockDurationMs: 1_000, stalledIntervalMs: 500 })
    stubborn.process(jobKind, () => new Promise(() => undefined))
    const job = await stubborn.enqueue({ kind: jobKind, companyId: null, payload: {} })
    await waitUntil(async () => (await stubborn.get(system, job.id))?.status === 'active')
    await stubborn.close()

    const next = queue({ lockDurationMs: 1_000, stalledIntervalMs: 500 })
    next.process(jobKind, async () => 'done')
    expect(await settled(next, job.id)).toMatchObject({ status: 'completed', result: 'done' })
  })

  it('schedule runs a job by interval until unscheduled; its jobs are visible through get', async () => {
    const jobKind = kind('billing.tick')
    const subject = queue()
    await subject.schedule(jobKind, { everyMs: 100 }, { companyId: null, payload: { run: 'tick' } })
    const seen: JobContext[] = []
    subject.process(jobKind, async (context) => {
      seen.push(context)
      return null
    })
    await waitUntil(() => seen.length >= 2, { message: 'the schedule never ran twice' })
    expect(seen[0]).toMatchObject({ kind: jobKind, companyId: null, payload: { run: 'tick' } })
    expect(seen[1]!.id).not.toBe(seen[0]!.id)
    expect(await subject.get(system, seen[0]!.id)).toMatchObject({ kind: jobKind, status: 'completed' })
    expect(await subject.unschedule(jobKind)).toBe(true)
    expect(await subject.unschedule(jobKind)).toBe(false)
  })

  it('the monthly billing schedule is a cron pattern; scheduling it again from every process keeps one', async () => {
    const jobKind = kind('billing.monthly')
    const [first, second] = [queue(), queue()]
    const rule = { pattern: '0 3 1 * *', timezone: 'UTC' }
    await first.schedule(jobKind, rule, { companyId: null, payload: {} })
    await second.schedule(jobKind, rule, { companyId: null, payload: {} })
    expect(await first.depth(jobKind)).toMatchObject({ delayed: 1, waiting: 0 })
    expect(await first.unschedule(jobKind)).toBe(true)
  })

  it('finished jobs are kept up to the configured count; an evicted key makes a new job', async () => {
    const jobKind = kind('kb.index')
    const subject = queue({ keepCompleted: { ageSeconds: 3_600, count: 2 } })
    let runs = 0
    subject.process(jobKind, async () => {
      runs += 1
      return null
    })
    const jobs = []
    for (const key of ['a', 'b', 'c']) {
      const job = await subject.enqueue(
        { kind: jobKind, companyId: null, payload: key },
        { idempotencyKey: key },
      )
      await settled(subject, job.id)
      jobs.push(job)
    }
    expect(await subject.get(system, jobs[0]!.id)).toBeNull()
    expect(await subject.get(system, jobs[2]!.id)).toMatchObject({ status: 'completed' })
    const again = await subject.enqueue(
      { kind: jobKind, companyId: null, payload: 'a' },
      { idempotencyKey: 'a' },
    )
    expect(again.id).toBe(jobs[0]!.id)
    await settled(subject, again.id)
    expect(runs).toBe(4)
  })

  it('rejects kinds that cannot name a queue', async () => {
    const subject = queue()
    await expect(subject.enqueue({ kind: 'kb:index', companyId: null, payload: {} })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    })
  })
})
