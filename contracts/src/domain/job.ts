import type { JsonValue } from '../common.js'
import type { CompanyId, JobId } from '../ids.js'

export const JOB_STATUSES = ['waiting', 'delayed', 'active', 'completed', 'failed'] as const
export type JobStatus = (typeof JOB_STATUSES)[number]

export interface Job {
  readonly id: JobId
  /** `kb.index`, `billing.monthly`, `workflow.<name>`, ... */
  readonly kind: string
  /** The tenant the job works for; null for platform jobs. */
  readonly companyId: CompanyId | null
  readonly payload: JsonValue
  readonly status: JobStatus
  /** Attempts started so far. */
  readonly attempts: number
  readonly maxAttempts: number
  readonly result: JsonValue | null
  readonly error: string | null
  readonly createdAt: Date
  readonly updatedAt: Date
}
