import type { CompanyId, Job, JobId, JobStatus, JsonValue } from '@agentry/contracts'
import type { Job as BullJob, JobState, Queue } from 'bullmq'

/** What the adapter stores as a BullMQ job's data; the job's name is its kind. */
export interface StoredJobData {
  readonly companyId: CompanyId | null
  readonly payload: JsonValue
}

/** Default attempts of the port (total, including the first). */
export const DEFAULT_ATTEMPTS = 3
/** Default base delay of the exponential backoff. */
export const DEFAULT_BACKOFF_MS = 1_000

/** BullMQ states in the port's terms; `unknown` (removed meanwhile) is null. */
export function toJobStatus(state: JobState | 'unknown'): JobStatus | null {
  switch (state) {
    case 'completed':
    case 'failed':
    case 'active':
    case 'delayed':
      return state
    case 'waiting':
    case 'prioritized':
    case 'waiting-children':
      return 'waiting'
    default:
      return null
  }
}

export function toJob(job: BullJob<StoredJobData>, status: JobStatus): Job {
  const updatedAt = Math.max(job.timestamp, job.processedOn ?? 0, job.finishedOn ?? 0)
  return {
    id: job.id as JobId,
    kind: job.name,
    companyId: job.data.companyId,
    payload: job.data.payload,
    status,
    attempts: job.attemptsStarted,
    maxAttempts: job.opts.attempts ?? 1,
    result: status === 'completed' ? ((job.returnvalue as JsonValue | undefined) ?? null) : null,
    error: status === 'completed' ? null : job.failedReason || null,
    createdAt: new Date(job.timestamp),
    updatedAt: new Date(updatedAt),
  }
}

/**
 * State first, then data: a job read in between has moved on, never back, so a `completed` state
 * always comes with its result (the other order could pair `completed` with pre-completion data).
 */
export async function loadJob(queue: Queue<StoredJobData>, id: string): Promise<Job | null> {
  const status = toJobStatus(await queue.getJobState(id))
  if (!status) return null
  const job = (await queue.getJob(id)) as BullJob<StoredJobData> | undefined
  return job ? toJob(job, status) : null
}
