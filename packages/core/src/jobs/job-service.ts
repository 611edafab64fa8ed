import type { CallOptions, JobId, JobQueue, JobStatus, JsonValue } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'

const JOB_ID = /^[A-Za-z0-9_:.-]{1,128}$/

import type { RequestContext } from '../request-context.js'
import { requirePermission, scopeOf } from '../tenancy/permissions.js'

/** A job as clients see it: its payload (tool arguments, document ids) is left out. */
export interface JobView {
  readonly id: JobId
  readonly kind: string
  readonly status: JobStatus
  readonly attempts: number
  readonly maxAttempts: number
  readonly result: JsonValue | null
  readonly error: string | null
  readonly createdAt: Date
  readonly updatedAt: Date
}

/**
 * Job status for the company that owns the job (workflow tool runs, document indexing). Another
 * company's job is `NOT_FOUND`, exactly like a missing one. Needs `tools:view`; knowledge jobs
 * (`kb.*`) need `kb:view` as well.
 */
export class JobService {
  readonly #queue: JobQueue | null

  constructor(queue: JobQueue | null) {
    this.#queue = queue
  }

  async get(context: RequestContext, id: string, options?: CallOptions): Promise<JobView> {
    requirePermission(context.actor, 'tools:view')
    const scope = scopeOf(context)
    if (!this.#queue) {
      throw new CoreError('UNAVAILABLE', 'This runtime has no job queue.', { isRetryable: false })
    }
    const job = JOB_ID.test(id) ? await this.#queue.get(scope, id as JobId, options) : null
    if (!job) throw new CoreError('NOT_FOUND', `Job ${id} not found in this company.`)
    if (job.kind.startsWith('kb.')) requirePermission(context.actor, 'kb:view')
    return {
      id: job.id,
      kind: job.kind,
      status: job.status,
      attempts: job.attempts,
      maxAttempts: job.maxAttempts,
      result: job.result,
      error: job.error,
      createdAt: job.createdAt,
      updatedAt: job.updatedAt,
    }
  }
}
