import { CoreError, type JobContext, type JobHandler, type JsonValue, type Worker } from '@agentry/contracts'
import { type Job as BullJob, Worker as BullWorker, UnrecoverableError, WaitingError } from 'bullmq'
import type { Redis } from 'ioredis'
import { closeClient } from './redis-client.js'
import type { RedisQueueConfig } from './redis-config.js'
import type { StoredJobData } from './to-job.js'

export interface JobWorkerOptions {
  readonly kind: string
  readonly concurrency: number
  /** BullMQ's key prefix (`<prefix>:q`). */
  readonly bullPrefix: string
  /** This worker's own connection (BullMQ duplicates it for its blocking fetch); closed on stop. */
  readonly client: Redis
  readonly queue: RedisQueueConfig
  readonly onError: (error: unknown) => void
}

/**
 * One `process` registration: a BullMQ Worker running `handler` with the port's semantics. A
 * non-retryable CoreError becomes BullMQ's UnrecoverableError (failed at once, no more attempts).
 * When the queue closes, handlers see their signal abort; a handler that then gives up hands its
 * job back to the queue without spending an attempt.
 */
export class JobWorker implements Worker {
  private readonly worker: BullWorker<StoredJobData>
  private readonly client: Redis
  private readonly closing = new AbortController()
  private stopped: Promise<void> | undefined

  constructor(handler: JobHandler, options: JobWorkerOptions) {
    this.client = options.client
    this.worker = new BullWorker<StoredJobData>(
      options.kind,
      (job, token, signal) => this.run(handler, job, token, signal),
      {
        connection: options.client,
        prefix: options.bullPrefix,
        concurrency: options.concurrency,
        lockDuration: options.queue.lockDurationMs,
        stalledInterval: options.queue.stalledIntervalMs,
        maxStalledCount: options.queue.maxStalledCount,
        autorun: true,
      },
    )
    this.worker.on('error', options.onError)
  }

  /** Resolves once running jobs have finished and the connections are closed. */
  stop(): Promise<void> {
    this.stopped ??= this.worker.close().then(() => closeClient(this.client))
    return this.stopped
  }

  /**
   * Aborts the handlers' signals and stops; after `graceMs` the connections are cut, so a handler
   * that ignores its signal loses its job lock and the job is run again by another worker.
   */
  async close(graceMs: number): Promise<void> {
    this.closing.abort(new CoreError('CANCELLED', 'The job queue is closing'))
    let timer: NodeJS.Timeout | undefined
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), graceMs)
    })
    const stopping = this.stop().catch(() => undefined)
    const outcome = await Promise.race([stopping, expired])
    clearTimeout(timer)
    if (outcome === 'expired') this.client.disconnect()
  }

  private async run(
    handler: JobHandler,
    job: BullJob<StoredJobData>,
    token: string | undefined,
    jobSignal: AbortSignal | undefined,
  ): Promise<JsonValue> {
    const context: JobContext = {
      id: job.id as JobContext['id'],
      kind: job.name,
      companyId: job.data.companyId,
      payload: job.data.payload,
      attempt: Math.max(job.attemptsStarted, 1),
      maxAttempts: job.opts.attempts ?? 1,
      signal: jobSignal ? AbortSignal.any([this.closing.signal, jobSignal]) : this.closing.signal,
    }
    try {
      return (await handler(context)) ?? null
    } catch (error) {
      if (this.closing.signal.aborted && token) {
        await job.moveToWait(token)
        throw new WaitingError()
      }
      if (CoreError.isInstance(error) && !error.isRetryable) {
        throw new UnrecoverableError(`${error.code}: ${error.message}`)
      }
      throw error instanceof Error ? error : new Error(String(error))
    }
  }
}
