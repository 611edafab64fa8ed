import type { JobHandler, LogFields, Telemetry } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import { HOST_METRIC, HOST_SPAN } from './host-metrics.js'

/** What job observation needs of the process's telemetry (`TelemetryAdapters` is one). */
export interface JobObservability {
  readonly telemetry: Telemetry
  readonly logContext: { run<T>(fields: LogFields, work: () => T): T }
}

/**
 * Decorates a job handler: every log line written while it runs carries the job id, kind and
 * company; it runs in an `agentry.job` span (the core's spans nest under it); each attempt counts
 * in `agentry_jobs_total` and `agentry_job_duration_seconds` by kind and outcome, and ends with one
 * log line. The handler's result and errors pass through unchanged (the queue retries).
 */
export function observedJobHandler(
  kind: string,
  handler: JobHandler,
  observability: JobObservability,
): JobHandler {
  const { telemetry, logContext } = observability
  return (job) => {
    const fields = {
      jobId: job.id,
      jobKind: kind,
      attempt: job.attempt,
      ...(job.companyId ? { companyId: job.companyId } : {}),
    }
    const attributes = {
      'agentry.job.id': job.id,
      'agentry.job.kind': kind,
      'agentry.job.attempt': job.attempt,
      ...(job.companyId ? { 'agentry.company_id': job.companyId } : {}),
    }
    return logContext.run(fields, () =>
      telemetry.tracer.span(HOST_SPAN.job, attributes, async () => {
        const started = performance.now()
        let outcome = 'ok'
        try {
          return await handler(job)
        } catch (error) {
          outcome = CoreError.isInstance(error) ? error.code : 'INTERNAL'
          telemetry.logger.warn('job failed', {
            code: outcome,
            maxAttempts: job.maxAttempts,
            error: error instanceof Error ? error.message : String(error),
          })
          throw error
        } finally {
          const seconds = (performance.now() - started) / 1000
          telemetry.metrics.increment(HOST_METRIC.jobs, { kind, outcome })
          telemetry.metrics.observe(HOST_METRIC.jobDuration, { kind, outcome }, seconds)
          if (outcome === 'ok') telemetry.logger.info('job', { durationMs: Math.round(seconds * 1000) })
        }
      }),
    )
  }
}
