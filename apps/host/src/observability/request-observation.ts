import type { LogFields, Span, Telemetry } from '@agentry/contracts'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { toHttpError } from '../http/error-reply.js'
import { HOST_METRIC } from './host-metrics.js'

/** What request observation needs of the process's telemetry (`TelemetryAdapters` is one). */
export interface RequestObservability {
  /** The tracer of the request spans and the registry of the HTTP metrics. */
  readonly telemetry: Telemetry
  /** Fields on every log line written while a request runs, whoever writes it. */
  readonly logContext: {
    run<T>(fields: LogFields, work: () => T): T
    assign(fields: LogFields): void
  }
}

interface Observation {
  readonly route: string
  readonly started: number
  readonly span: Span
  readonly end: () => void
  error?: unknown
  isDone?: boolean
}

/** Requests that matched no route share one label, so odd URLs cannot grow the metrics. */
const UNMATCHED_ROUTE = 'unmatched'

/** Probes and scrapes: counted and logged, but no span (they would flood the traces every few seconds). */
const UNTRACED_ROUTES: ReadonlySet<string> = new Set(['/metrics', '/healthz', '/readyz'])

const UNTRACED_SPAN: Span = { setAttribute: () => undefined, recordError: () => undefined }

/** Path parameters whose values are worth a log field (the core adds session and turn ids itself). */
const ID_PARAMETERS = ['agentId', 'sessionId'] as const

/**
 * Observes every request, from the first hook to the end of the response (streams included):
 * - a span `<METHOD> <route>` that the turn, model, tool and retrieval spans nest under (none for
 *   `/metrics` and the probes);
 * - the log context: the request id on every line written for the request, by the host or the
 *   core, and the company and agent once authentication and routing know them;
 * - `agentry_http_requests_total` and `agentry_http_request_duration_seconds` by method, route
 *   pattern and status (499 when the client went away before the response ended).
 */
export function observeRequests(app: FastifyInstance, observability: RequestObservability): void {
  const { telemetry, logContext } = observability
  const observations = new WeakMap<FastifyRequest, Observation>()

  app.addHook('onRequest', (request, reply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE
    const attributes = {
      'http.request.method': request.method,
      'http.route': route,
      'url.path': request.url.split('?')[0] ?? '',
      'agentry.request_id': request.id,
    }
    const started = performance.now()
    logContext.run({ requestId: request.id }, () => {
      reply.raw.once('close', () => finish(request, reply))
      if (UNTRACED_ROUTES.has(route)) {
        observations.set(request, { route, started, span: UNTRACED_SPAN, end: () => undefined })
        done()
        return
      }
      void telemetry.tracer.span(
        `${request.method} ${route}`,
        attributes,
        (span) =>
          new Promise<void>((resolve) => {
            observations.set(request, { route, started, span, end: resolve })
            // The rest of the request runs from here, inside the span and the log context.
            done()
          }),
      )
    })
  })

  app.addHook('preValidation', async (request) => {
    const fields: Record<string, string> = {}
    const actor = request.agentryActor
    if (actor && 'companyId' in actor) fields.companyId = actor.companyId
    const params = (request.params ?? {}) as Record<string, unknown>
    for (const name of ID_PARAMETERS) {
      if (typeof params[name] === 'string') fields[name] = params[name]
    }
    if (Object.keys(fields).length === 0) return
    logContext.assign(fields)
    const span = observations.get(request)?.span
    if (fields.companyId) span?.setAttribute('agentry.company_id', fields.companyId)
  })

  app.addHook('onError', async (request, _reply, error) => {
    const observation = observations.get(request)
    if (observation) observation.error = error
  })

  app.addHook('onResponse', async (request, reply) => finish(request, reply))

  function finish(request: FastifyRequest, reply: FastifyReply): void {
    const observation = observations.get(request)
    if (!observation || observation.isDone) return
    observation.isDone = true
    const status = reply.raw.writableFinished ? reply.statusCode : 499
    const labels = { method: request.method, route: observation.route, status: String(status) }
    telemetry.metrics.increment(HOST_METRIC.httpRequests, labels)
    telemetry.metrics.observe(
      HOST_METRIC.httpRequestDuration,
      labels,
      (performance.now() - observation.started) / 1000,
    )
    const { span, error } = observation
    span.setAttribute('http.response.status_code', status)
    if (status >= 500) span.recordError(error ? toHttpError(error, 0) : new Error(`HTTP ${status}`))
    else if (error) span.setAttribute('error.type', toHttpError(error, 0).code)
    observation.end()
  }
}
