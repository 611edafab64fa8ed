import type { Worker } from '@agentry/contracts'
import type { Composition } from './compose.js'
import { JOB_HANDLERS, type JobHandlerDefinition } from './jobs/job-handlers.js'

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
  reportScheduleError: (error: unknown) => void = () => undefined,
): RunningWorker {
  const workers: Worker[] = handlers.map((definition) =>
    composition.queue.process(definition.kind, definition.create(composition), {
      concurrency: definition.concurrency ?? 1,
    }),
  )
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
