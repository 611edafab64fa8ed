import type { JobQueue } from '@agentry/contracts'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config/load-config.js'
import { JOB_HANDLERS } from '../jobs/job-handlers.js'
import { MetricsEndpoint, type MetricsEndpointOptions } from './metrics-endpoint.js'
import { observeRequests, type RequestObservability } from './request-observation.js'

/** What the API observes with: the process's telemetry (`TelemetryAdapters` is one). */
export interface ApiObservability extends RequestObservability {
  readonly metrics: MetricsEndpointOptions['metrics']
}

export interface ApiObservabilityDependencies {
  readonly config: Pick<Config, 'observability'>
  readonly queue: Pick<JobQueue, 'depth'>
}

/**
 * Request spans, log context and HTTP metrics on every request, and `GET /metrics` (Prometheus
 * text; open, or behind `AGENTRY_METRICS_TOKEN`). Call before the routes are registered.
 */
export function registerApiObservability(
  app: FastifyInstance,
  dependencies: ApiObservabilityDependencies,
  observability: ApiObservability,
): void {
  observeRequests(app, observability)
  const { config, queue } = dependencies
  const endpoint = new MetricsEndpoint({
    metrics: observability.metrics,
    queue,
    jobKinds: JOB_HANDLERS.map((definition) => definition.kind),
    token: config.observability.metricsToken,
    logger: observability.telemetry.logger,
  })
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    endpoint.authorize(request.headers.authorization)
    return reply.type(endpoint.contentType).send(await endpoint.render())
  })
}
