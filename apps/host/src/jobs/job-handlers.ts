import type { JobHandler } from '@agentry/contracts'
import type { Composition } from '../compose.js'
import { BILLING_JOBS } from './billing-jobs.js'
import { knowledgeJobs } from './knowledge-jobs.js'

/**
 * A background job kind the worker serves. Areas add theirs (`kb.index`, `billing.monthly`) in
 * their own file (`jobs/<area>-jobs.ts`) and one line in `JOB_HANDLERS`.
 */
export interface JobHandlerDefinition {
  readonly kind: string
  /** Jobs of this kind run at most this many at a time per worker process; default 1. */
  readonly concurrency?: number
  /** Builds the handler from the process's adapters and services. Handlers must be idempotent. */
  create(composition: Composition): JobHandler
  /**
   * Starts whatever enqueues this kind on a schedule (`billing.monthly`); returns the stop. Errors
   * while enqueueing go to `report`; a schedule retries on its own.
   */
  schedule?(composition: Composition, report: (error: unknown) => void): () => void
}

/** Every job kind the worker processes. */
export const JOB_HANDLERS: readonly JobHandlerDefinition[] = [...BILLING_JOBS, knowledgeJobs]
