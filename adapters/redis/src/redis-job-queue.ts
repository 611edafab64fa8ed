import {
  type CallOptions,
  type CompanyId,
  CoreError,
  createUuidV7Generator,
  type EnqueueOptions,
  type Job,
  type JobHandler,
  type JobId,
  type JobQueue,
  type JsonValue,
  type NewJob,
  type ProcessOptions,
  type QueueDepth,
  type SystemScope,
  type TenantScope,
  type Worker,
} from '@agentry/contracts'
import { Queue } from 'bullmq'
import { nextFairPriority } from './fair-priority.js'
import { idempotentJobId } from './job-ids.js'
import { checkCount, checkKind, closedError, isJobIdShape } from './job-queue-checks.js'
import { JobWorker } from './job-worker.js'
import { createWorkerClient, type RedisConnectionOptions, type SharedRedisClient } from './redis-client.js'
import type { RedisQueueConfig } from './redis-config.js'
import { throwIfAborted, translateErrors } from './redis-errors.js'
import { DEFAULT_ATTEMPTS, DEFAULT_BACKOFF_MS, loadJob, type StoredJobData, toJob } from './to-job.js'

const DEFAULT_FAILED_LIMIT = 50
const MAX_FAILED_LIMIT = 200

/** A repeat rule for `schedule`: a cron pattern (optionally in a time zone) or a fixed interval. */
export type RepeatRule =
  | { readonly pattern: string; readonly timezone?: string }
  | { readonly everyMs: number }

export interface ScheduleOptions {
  /** One schedule per id and kind; scheduling the same id again replaces it. Default: the kind. */
  readonly scheduleId?: string
  readonly attempts?: number
  readonly backoffMs?: number
}

export interface RedisJobQueueOptions {
  /** The request-path connection (enqueue, get, depth); released on close. */
  readonly connection: SharedRedisClient
  /** Used to open one connection per `process` registration. */
  readonly connectionOptions: RedisConnectionOptions
  readonly prefix: string
  readonly queue: RedisQueueConfig
  readonly onError?: (error: unknown) => void
}

/**
 * JobQueue on BullMQ: one BullMQ queue per kind under `<prefix>:q`, tenants taking turns by
 * priority (fair-priority.ts), idempotency keys as deterministic job ids, finished jobs kept by age
 * and count (config `queue.keepCompleted` / `queue.keepFailed`).
 */
export class RedisJobQueue implements JobQueue {
  private readonly options: RedisJobQueueOptions
  private readonly bullPrefix: string
  private readonly kindsKey: string
  private readonly queues = new Map<string, Queue<StoredJobData>>()
  private readonly workers = new Set<JobWorker>()
  private readonly ids = createUuidV7Generator()
  private readonly onError: (error: unknown) => void
  private closing: Promise<void> | undefined

  constructor(options: RedisJobQueueOptions) {
    this.options = options
    this.bullPrefix = `${options.prefix}:q`
    this.kindsKey = `${options.prefix}:kinds`
    this.onError = options.onError ?? (() => undefined)
  }

  async enqueue(job: NewJob, options: EnqueueOptions = {}): Promise<Job> {
    checkKind(job.kind)
    const attempts = checkCount(options.attempts ?? DEFAULT_ATTEMPTS, 'attempts', 1)
    const backoffMs = checkCount(options.backoffMs ?? DEFAULT_BACKOFF_MS, 'backoffMs', 0)
    const delayMs = checkCount(options.delayMs ?? 0, 'delayMs', 0)
    const key = options.idempotencyKey
    if (key !== undefined && (typeof key !== 'string' || key.length === 0)) {
      throw new CoreError('INVALID_INPUT', 'idempotencyKey must be a non-empty string when given')
    }
    const action = `enqueueing a ${job.kind} job`
    throwIfAborted(options.signal, action)
    const queue = await this.queueFor(job.kind, action)
    return translateErrors(action, async () => {
      const id =
        key === undefined ? (this.ids.next() as JobId) : idempotentJobId(job.kind, job.companyId, key)
      if (key !== undefined) {
        const existing = await loadJob(queue, id)
        if (existing) return existing
      }
      const client = await this.options.connection.ready(action)
      const priority = await nextFairPriority(
        client,
        {
          fairness: `${this.options.prefix}:fair:${job.kind}`,
          kinds: this.kindsKey,
          prioritized: queue.keys.prioritized as string,
          delayed: queue.keys.delayed as string,
          active: queue.keys.active as string,
        },
        job.companyId ?? '-',
        job.kind,
      )
      const added = await queue.add(
        job.kind,
        { companyId: job.companyId, payload: job.payload },
        {
          jobId: id,
          priority,
          delay: delayMs,
          attempts,
          backoff: { type: 'exponential', delay: backoffMs },
          ...this.keep(),
        },
      )
      if (key !== undefined) return (await loadJob(queue, id)) ?? toJob(added, 'waiting')
      return toJob(added, delayMs > 0 ? 'delayed' : 'waiting')
    })
  }

  process<P extends JsonValue = JsonValue>(
    kind: string,
    handler: JobHandler<P>,
    options: ProcessOptions = {},
  ): Worker {
    checkKind(kind)
    const concurrency = checkCount(options.concurrency ?? 1, 'concurrency', 1)
    if (this.closing) throw closedError(`registering a ${kind} worker`)
    const worker = new JobWorker(handler as JobHandler, {
      kind,
      concurrency,
      bullPrefix: this.bullPrefix,
      client: createWorkerClient(this.options.connectionOptions, `${this.options.prefix}:worker:${kind}`),
      queue: this.options.queue,
      onError: this.onError,
    })
    this.workers.add(worker)
    return {
      stop: async () => {
        await worker.stop()
        this.workers.delete(worker)
      },
    }
  }

  async get(scope: TenantScope | SystemScope, id: JobId, options: CallOptions = {}): Promise<Job | null> {
    const action = 'reading a job'
    throwIfAborted(options.signal, action)
    if (!isJobIdShape(id)) return null
    const client = await this.options.connection.ready(action)
    const kind = await translateErrors(action, async () => {
      const kinds = await client.smembers(this.kindsKey)
      const pipeline = client.pipeline()
      for (const candidate of kinds) pipeline.exists(`${this.bullPrefix}:${candidate}:${id}`)
      const found = (await pipeline.exec()) ?? []
      return kinds.find((_, index) => found[index]?.[1] === 1)
    })
    if (kind === undefined) return null
    const queue = await this.queueFor(kind, action)
    const job = await translateErrors(action, () => loadJob(queue, id))
    if (!job || (scope.type === 'tenant' && job.companyId !== scope.companyId)) return null
    return job
  }

  async depth(kind: string, options: CallOptions = {}): Promise<QueueDepth> {
    checkKind(kind)
    const action = `counting ${kind} jobs`
    throwIfAborted(options.signal, action)
    const queue = await this.queueFor(kind, action)
    const counts = await translateErrors(action, () =>
      queue.getJobCounts('wait', 'prioritized', 'waiting-children', 'delayed', 'active', 'failed'),
    )
    const count = (type: string) => counts[type] ?? 0
    return {
      waiting: count('wait') + count('prioritized') + count('waiting-children'),
      delayed: count('delayed'),
      active: count('active'),
      failed: count('failed'),
    }
  }

  async listFailed(
    kind: string,
    limit = DEFAULT_FAILED_LIMIT,
    options: CallOptions = {},
  ): Promise<readonly Job[]> {
    checkKind(kind)
    const size = Math.min(checkCount(limit, 'limit', 1), MAX_FAILED_LIMIT)
    const action = `listing failed ${kind} jobs`
    throwIfAborted(options.signal, action)
    const queue = await this.queueFor(kind, action)
    const jobs = await translateErrors(action, () => queue.getFailed(0, size - 1))
    return jobs.map((job) => toJob(job, 'failed'))
  }

  /**
   * Redis-adapter API (not in the port): runs `job` by a repeat rule, e.g. the monthly billing run
   * `schedule('billing.monthly', { pattern: '0 3 1 * *', timezone: 'UTC' }, { companyId: null, payload: {} })`.
   * Idempotent per schedule id: every process may call it at startup. The jobs it makes have ids
   * `repeat:<scheduleId>:<time>` and, having no fairness priority, start before tenants' queued jobs.
   */
  async schedule(
    kind: string,
    rule: RepeatRule,
    job: { readonly companyId: CompanyId | null; readonly payload: JsonValue },
    options: ScheduleOptions = {},
  ): Promise<void> {
    checkKind(kind)
    const repeat =
      'pattern' in rule
        ? { pattern: rule.pattern, tz: rule.timezone }
        : { every: checkCount(rule.everyMs, 'everyMs', 1) }
    const attempts = checkCount(options.attempts ?? DEFAULT_ATTEMPTS, 'attempts', 1)
    const backoffMs = checkCount(options.backoffMs ?? DEFAULT_BACKOFF_MS, 'backoffMs', 0)
    const action = `scheduling ${kind} jobs`
    const queue = await this.queueFor(kind, action)
    const client = await this.options.connection.ready(action)
    await translateErrors(action, async () => {
      await client.sadd(this.kindsKey, kind)
      await queue.upsertJobScheduler(options.scheduleId ?? kind, repeat, {
        name: kind,
        data: { companyId: job.companyId, payload: job.payload },
        opts: { attempts, backoff: { type: 'exponential', delay: backoffMs }, ...this.keep() },
      })
    })
  }

  /** Removes a schedule made by `schedule`; false when there was none. Jobs already made stay. */
  async unschedule(kind: string, scheduleId: string = kind): Promise<boolean> {
    checkKind(kind)
    const action = `unscheduling ${kind} jobs`
    const queue = await this.queueFor(kind, action)
    return translateErrors(action, () => queue.removeJobScheduler(scheduleId))
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      const grace = this.options.queue.closeGraceMs
      await Promise.all([...this.workers].map((worker) => worker.close(grace)))
      this.workers.clear()
      await Promise.all([...this.queues.values()].map((queue) => queue.close().catch(this.onError)))
      this.queues.clear()
      await this.options.connection.release()
    })()
    return this.closing
  }

  private keep() {
    const { keepCompleted, keepFailed } = this.options.queue
    return {
      removeOnComplete: { age: keepCompleted.ageSeconds, count: keepCompleted.count },
      removeOnFail: { age: keepFailed.ageSeconds, count: keepFailed.count },
    }
  }

  /** The BullMQ queue of a kind, made once the connection is up (so its setup never races an outage). */
  private async queueFor(kind: string, action: string): Promise<Queue<StoredJobData>> {
    if (this.closing) throw closedError(action)
    const client = await this.options.connection.ready(action)
    let queue = this.queues.get(kind)
    if (!queue) {
      queue = new Queue<StoredJobData>(kind, { connection: client, prefix: this.bullPrefix })
      queue.on('error', this.onError)
      this.queues.set(kind, queue)
    }
    return queue
  }
}
