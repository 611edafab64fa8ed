import type { Worker } from '@agentry/contracts'
import type { Composition } from './compose.js'
import { JOB_HANDLERS, type JobHandlerDefinition } from './jobs/job-handlers.js'
import { type JobObservability, observedJobHandler } from './observability/observed-job-handler.js'

export interface WorkerOptions {
  /** Errors while a schedule enqueues its job (`billing.monthly`); the schedule retries on its own. */
  readonly reportScheduleError?: (error: unknown) => void
  /** Log context, an `agentry.job` span and job metrics for every run; none when absent. */
  readonly observability?: JobObservability
}

export interface RunningWorker {
  /** The job kinds this worker serves. */
  readonly kinds: readonly string[]
  /** Stops taking jobs and waits for the running ones (the queue's close grace applies). */
  stop(): Promise<void>
}

/**
 * Starts the job handlers on the composition's queue: in-process with the embedded platform,
 * BullMQ workers on Redis when `REDIS_URL` is set (then any number of `agentry worker` processes
 * share the work).
 */
export function startWorker(
  composition: Composition,
  handlers: readonly JobHandlerDefinition[] = JOB_HANDLERS,
  options: WorkerOptions = {},
): RunningWorker {
  const { observability } = options
  const reportScheduleError = options.reportScheduleError ?? (() => undefined)
  const workers: Worker[] = handlers.map((definition) => {
    const handler = definition.create(composition)
    return composition.queue.process(
      definition.kind,
      observability ? observedJobHandler(definition.kind, handler, observability) : handler,
      { concurrency: definition.concurrency ?? 1 },
    )
  })
  const schedules = handlers.flatMap((definition) =>
    definition.schedule ? [definition.schedule(composition, reportScheduleError)] : [],
  )
  let stopping: Promise<void> | undefined
  return {
    kinds: handlers.map((definition) => definition.kind),
    stop: () => {
      for (const stopSchedule of schedules) stopSchedule()
      stopping ??= Promise.all(workers.map((worker) => worker.stop())).then(() => undefined)
      return stopping
    },
  }
}
