import type { MetricDefinition } from '@agentry/telemetry'

/** Fixed metric names of the host, beside the core's `CORE_METRIC` (docs/operations.md lists both). */
export const HOST_METRIC = {
  httpRequests: 'agentry_http_requests_total',
  httpRequestDuration: 'agentry_http_request_duration_seconds',
  jobs: 'agentry_jobs_total',
  jobDuration: 'agentry_job_duration_seconds',
  queueJobs: 'agentry_queue_jobs',
} as const

/** Fixed span names of the host: one per job run (requests are named `<METHOD> <route>`). */
export const HOST_SPAN = { job: 'agentry.job' } as const

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300]

/**
 * Every metric the host emits. Labels stay bounded: the route pattern (`/api/v1/agents/:agentId`),
 * never the raw URL; job kinds; no ids.
 */
export const HOST_METRICS: readonly MetricDefinition[] = [
  {
    name: HOST_METRIC.httpRequests,
    type: 'counter',
    help: 'HTTP requests by method, route pattern and status (499: the client went away before the response ended).',
    labelNames: ['method', 'route', 'status'],
  },
  {
    name: HOST_METRIC.httpRequestDuration,
    type: 'histogram',
    help: 'Time from a request arriving to its response ending (streams included), by method, route pattern and status, in seconds.',
    labelNames: ['method', 'route', 'status'],
    buckets: HTTP_BUCKETS,
  },
  {
    name: HOST_METRIC.jobs,
    type: 'counter',
    help: 'Job runs (each attempt) by kind and outcome (ok or the error code).',
    labelNames: ['kind', 'outcome'],
  },
  {
    name: HOST_METRIC.jobDuration,
    type: 'histogram',
    help: 'Run time of one job attempt by kind and outcome, in seconds.',
    labelNames: ['kind', 'outcome'],
    buckets: JOB_BUCKETS,
  },
  {
    name: HOST_METRIC.queueJobs,
    type: 'gauge',
    help: 'Jobs in the queue by kind and state (waiting, delayed, active, failed), read at each scrape.',
    labelNames: ['kind', 'state'],
  },
]
