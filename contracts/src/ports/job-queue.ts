import type { CallOptions, JsonValue } from '../common.js'
import type { Job } from '../domain/job.js'
import type { CompanyId, JobId } from '../ids.js'
import type { SystemScope, TenantScope } from '../scope.js'

export interface NewJob {
  readonly kind: string
  /** The tenant the job works for; handlers re-check it. Null for platform jobs. */
  readonly companyId: CompanyId | null
  readonly payload: JsonValue
}

export interface EnqueueOptions extends CallOptions {
  /**
   * Enqueueing again with the same key (per kind and company) returns the existing job instead of
   * a new one, while that job is known to the queue (also after it completed or failed).
   */
  readonly idempotencyKey?: string
  readonly delayMs?: number
  /** Total attempts including the first; default 3. */
  readonly attempts?: number
  /** Delay before retry n (from 1) is `backoffMs * 2^(n-1)`; default 1000. */
  readonly backoffMs?: number
}

export interface JobContext<P extends JsonValue = JsonValue> {
  readonly id: JobId
  readonly kind: string
  readonly companyId: CompanyId | null
  readonly payload: P
  /** 1 on the first attempt. */
  readonly attempt: number
  readonly maxAttempts: number
  /** Aborted when the queue closes; handlers should stop soon after. */
  readonly signal: AbortSignal
}

export type JobHandler<P extends JsonValue = JsonValue> = (
  job: JobContext<P>,
) => Promise<JsonValue | undefined>

export interface ProcessOptions {
  /** Jobs of this kind run at most this many at a time in this process; default 1. */
  readonly concurrency?: number
}

export interface QueueDepth {
  readonly waiting: number
  readonly delayed: number
  readonly active: number
  readonly failed: number
}

/** Stops one `process` registration; resolves once its running jobs have finished. */
export interface Worker {
  stop(): Promise<void>
}

/**
 * Background jobs with at-least-once delivery: a handler may run again for the same job after a
 * crash, so handlers are idempotent. A handler that throws is retried with exponential backoff up to
 * `attempts`; a CoreError that is not retryable (`isRetryable` false) fails the job at once. Failed
 * jobs stay visible (`listFailed`) as the dead-letter view. Jobs of one kind and company start in
 * enqueue order (delays aside) but may finish in any order; implementations may interleave
 * companies so that one tenant's backlog does not starve the others.
 */
export interface JobQueue {
  enqueue(job: NewJob, options?: EnqueueOptions): Promise<Job>
  process<P extends JsonValue = JsonValue>(
    kind: string,
    handler: JobHandler<P>,
    options?: ProcessOptions,
  ): Worker
  /** Under a tenant scope, another company's job is `null`, exactly like a missing one. */
  get(scope: TenantScope | SystemScope, id: JobId, options?: CallOptions): Promise<Job | null>
  depth(kind: string, options?: CallOptions): Promise<QueueDepth>
  listFailed(kind: string, limit?: number, options?: CallOptions): Promise<readonly Job[]>
  /** Stops every worker (waiting for running jobs up to a grace period) and releases resources. */
  close(): Promise<void>
}
