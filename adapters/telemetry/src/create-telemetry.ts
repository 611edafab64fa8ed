import { CoreError, noopTelemetry, type Telemetry, type Tracer, zodIssues } from '@agentry/contracts'
import type { SpanExporter } from '@opentelemetry/sdk-trace'
import type { DestinationStream, Logger as Pino } from 'pino'
import { LogContext } from './log-context.js'
import { createTracing, type Tracing } from './open-telemetry-tracer.js'
import { createPino, PinoLogger } from './pino-logger.js'
import { type MetricDefinition, PrometheusMetrics } from './prometheus-metrics.js'
import { type TelemetryConfig, type TelemetryConfigInput, TelemetryConfigSchema } from './telemetry-config.js'

export interface TelemetryOptions {
  /** The metrics the process emits (the core's and the host's), declared with help and labels. */
  readonly metrics?: readonly MetricDefinition[]
  /** Where log lines go; stdout when absent (tests capture lines here). */
  readonly logDestination?: DestinationStream
  /** Receives the spans instead of the OTLP exporter (needs `otlp` in the config to trace at all). */
  readonly spanExporter?: SpanExporter
}

/** Everything observability of one process: the port for the core, and what the host wires itself. */
export interface TelemetryAdapters {
  readonly config: TelemetryConfig
  /** The `Telemetry` port: what `createAgentry({ telemetry })` takes. */
  readonly telemetry: Telemetry
  /** The pino instance behind `telemetry.logger`, for Fastify's `loggerInstance`. */
  readonly pino: Pino
  /** Request or job fields (request id, company, job id) added to every line written inside a scope. */
  readonly logContext: LogContext
  /** The Prometheus registry behind `telemetry.metrics`; `render()` serves `GET /metrics`. */
  readonly metrics: PrometheusMetrics
  /** True when spans are exported (an OTLP endpoint is configured). */
  readonly isTracing: boolean
  /** Exports queued spans and flushes logs. */
  flush(): Promise<void>
  /** Flushes, then stops exporting spans. Idempotent. */
  shutdown(): Promise<void>
}

/** Parses a config (throws CoreError INVALID_INPUT listing every problem) and fills in defaults. */
export function parseTelemetryConfig(input: TelemetryConfigInput): TelemetryConfig {
  const parsed = TelemetryConfigSchema.safeParse(input)
  if (!parsed.success) {
    const issues = zodIssues(parsed.error)
    const summary = issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ')
    throw new CoreError('INVALID_INPUT', `Invalid telemetry config: ${summary}`, { details: { issues } })
  }
  return parsed.data
}

/**
 * JSON logs (pino, redacted), Prometheus metrics (prom-client) and, when an OTLP endpoint is
 * configured, OpenTelemetry spans, behind the `Telemetry` port. One per process.
 */
export function createTelemetry(
  input: TelemetryConfigInput,
  options: TelemetryOptions = {},
): TelemetryAdapters {
  const config = parseTelemetryConfig(input)
  const logContext = new LogContext()
  const pino = createPino({
    level: config.logLevel,
    service: config.serviceName,
    redactPaths: config.redactPaths,
    context: logContext,
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  })
  const logger = new PinoLogger(pino)
  const metrics = new PrometheusMetrics({
    definitions: options.metrics ?? [],
    processMetrics: config.processMetrics,
    onProblem: (message) => logger.warn('A metric could not be recorded', { problem: message }),
  })
  const tracing: Tracing | null = config.otlp
    ? createTracing({
        serviceName: config.serviceName,
        otlp: config.otlp,
        ...(options.spanExporter ? { exporter: options.spanExporter } : {}),
      })
    : null
  const tracer: Tracer = tracing?.tracer ?? noopTelemetry.tracer
  const flushLogs = () => {
    try {
      pino.flush()
    } catch {
      // A destination without flush (or already closed) has nothing to flush.
    }
  }
  let stopping: Promise<void> | undefined
  return {
    config,
    telemetry: Object.freeze({ logger, metrics, tracer }),
    pino,
    logContext,
    metrics,
    isTracing: tracing !== null,
    flush: async () => {
      await tracing?.flush()
      flushLogs()
    },
    shutdown: () => {
      stopping ??= (async () => {
        await tracing?.shutdown()
        flushLogs()
      })()
      return stopping
    },
  }
}
