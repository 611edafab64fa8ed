import type { CompanyId, JobId } from '@agentry/contracts'
import { systemScope } from '@agentry/contracts'
import { newId, waitUntil } from '@agentry/contracts/testing'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest'
import { MAX_PRIORITY, RESET_ABOVE } from '../src/fair-priority.js'
import type { RedisJobQueue } from '../src/redis-job-queue.js'
import { deleteKeys, describeWithRedis, makeJobQueue, REDIS_URL, testPrefix } from './redis-test-env.js'

const prefix = testPrefix('fairness')
const system = systemScope('fairness test')

describeWithRedis('RedisJobQueue fairness between tenants', () => {
  let queue: RedisJobQueue
  const companyA = newId<CompanyId>()
  const companyB = newId<CompanyId>()
  const kind = () => `kb.index-${newId().slice(-12)}`
  const completed = (id: JobId) =>
    waitUntil(async () => (await queue.get(system, id))?.status === 'completed', {
      timeoutMs: 20_000,
      message: `job ${id} never completed`,
    })

  beforeEach(() => {
    queue = makeJobQueue(prefix)
  })
  afterEach(() => queue.close())
  afterAll(() => deleteKeys(prefix))

  it("a flood of 500 jobs from company A does not hold back company B's single job", async () => {
    const jobKind = kind()
    for (let index = 0; index < 500; index += 1) {
      await queue.enqueue({ kind: jobKind, companyId: companyA, payload: index })
    }
    const lonely = await queue.enqueue({ kind: jobKind, companyId: companyB, payload: 'b' })
    const started: string[] = []
    let aJobsStartedBeforeB = -1
    queue.process(jobKind, async (context) => {
      if (context.companyId === companyB) aJobsStartedBeforeB = started.length
      started.push(context.companyId ?? '-')
      return null
    })
    await completed(lonely.id)
    expect(aJobsStartedBeforeB).toBe(1)
    const depth = await queue.depth(jobKind)
    expect(depth.waiting, "A's backlog is still there when B's job is done").toBeGreaterThan(0)
  })

  it('a tenant arriving while a flood is being worked off joins the current round', async () => {
    const jobKind = kind()
    const started: { companyId: string; index: number }[] = []
    queue.process(jobKind, async (context) => {
      started.push({ companyId: context.companyId ?? '-', index: context.payload as number })
      return null
    })
    await Promise.all(
      Array.from({ length: 500 }, (_, index) =>
        queue.enqueue({ kind: jobKind, companyId: companyA, payload: index }),
      ),
    )
    await waitUntil(() => started.length >= 20, { message: 'the worker never started on the flood' })
    const startedWhenBArrived = started.length
    const lonely = await queue.enqueue({ kind: jobKind, companyId: companyB, payload: -1 })
    await completed(lonely.id)
    const position = started.findIndex((entry) => entry.companyId === companyB)
    expect(
      position - startedWhenBArrived,
      'A jobs that started between B enqueueing and starting',
    ).toBeLessThanOrEqual(3)
    expect((await queue.depth(jobKind)).waiting).toBeGreaterThan(0)
  })

  it('tenants with queued jobs take turns, and each tenant keeps its own order', async () => {
    const jobKind = kind()
    for (let index = 0; index < 10; index += 1) {
      await queue.enqueue({ kind: jobKind, companyId: companyA, payload: index })
    }
    const jobs = []
    for (let index = 0; index < 10; index += 1) {
      jobs.push(await queue.enqueue({ kind: jobKind, companyId: companyB, payload: index }))
    }
    const started: string[] = []
    queue.process(jobKind, async (context) => {
      started.push(`${context.companyId === companyA ? 'A' : 'B'}${context.payload}`)
      return null
    })
    for (const job of jobs) await completed(job.id)
    await waitUntil(() => started.length === 20)
    expect(started).toEqual(Array.from({ length: 10 }, (_, index) => [`A${index}`, `B${index}`]).flat())
  })

  it('a newcomer joins the current round: behind at most one queued job of each other tenant', async () => {
    const jobKind = kind()
    let openGate: () => void = () => undefined
    const gate = new Promise<void>((resolve) => {
      openGate = resolve
    })
    const started: string[] = []
    queue.process(jobKind, async (context) => {
      await gate
      started.push(`${context.companyId === companyA ? 'A' : 'B'}${context.payload}`)
      return null
    })
    const first = await queue.enqueue({ kind: jobKind, companyId: companyA, payload: 0 })
    await waitUntil(async () => (await queue.get(system, first.id))?.status === 'active')
    const jobs = [first]
    for (let index = 1; index < 4; index += 1) {
      jobs.push(await queue.enqueue({ kind: jobKind, companyId: companyA, payload: index }))
    }
    for (let index = 0; index < 3; index += 1) {
      jobs.push(await queue.enqueue({ kind: jobKind, companyId: companyB, payload: index }))
    }
    openGate()
    for (const job of jobs) await completed(job.id)
    expect(started).toEqual(['A0', 'A1', 'B0', 'A2', 'B1', 'A3', 'B2'])
  })

  it('past a million rounds the numbering restarts once the kind is idle', async () => {
    const jobKind = kind()
    const inspector = new Redis(REDIS_URL)
    try {
      await inspector.hset(`${prefix}:fair:${jobKind}`, 'virtual', RESET_ABOVE, 'highest', RESET_ABOVE + 1)
      const job = await queue.enqueue({ kind: jobKind, companyId: companyA, payload: 0 })
      expect(await inspector.hget(`${prefix}:q:${jobKind}:${job.id}`, 'priority')).toBe('1')
    } finally {
      inspector.disconnect()
    }
  })

  it("at BullMQ's largest priority jobs are still accepted and run (in FIFO order)", async () => {
    const jobKind = kind()
    const inspector = new Redis(REDIS_URL)
    try {
      const waiting = await queue.enqueue({ kind: jobKind, companyId: companyA, payload: 0 })
      await inspector.hset(`${prefix}:fair:${jobKind}`, 'virtual', MAX_PRIORITY, 'highest', MAX_PRIORITY)
      const jobs = [waiting]
      for (const companyId of [companyA, companyB, companyA]) {
        jobs.push(await queue.enqueue({ kind: jobKind, companyId, payload: jobs.length }))
      }
      const priorities = await Promise.all(
        jobs.slice(1).map((job) => inspector.hget(`${prefix}:q:${jobKind}:${job.id}`, 'priority')),
      )
      expect(priorities).toEqual([String(MAX_PRIORITY), String(MAX_PRIORITY), String(MAX_PRIORITY)])
      const started: number[] = []
      queue.process(jobKind, async (context) => {
        started.push(context.payload as number)
        return null
      })
      for (const job of jobs) await completed(job.id)
      expect(started).toEqual([0, 1, 2, 3])
    } finally {
      inspector.disconnect()
    }
  })
})
