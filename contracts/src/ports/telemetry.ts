export type LogFields = Readonly<Record<string, unknown>>

/**
 * Structured logs. Implementations redact secrets and configured fields; callers still never pass
 * secrets. `child` adds fields (request id, company, agent, session, turn) to every line.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void
  info(message: string, fields?: LogFields): void
  warn(message: string, fields?: LogFields): void
  error(message: string, fields?: LogFields): void
  child(fields: LogFields): Logger
}

export type MetricLabels = Readonly<Record<string, string>>

/** Metric names are fixed by the caller (`agentry_model_call_seconds`, ...); labels stay low-cardinality. */
export interface Metrics {
  increment(name: string, labels?: MetricLabels, value?: number): void
  observe(name: string, labels: MetricLabels, value: number): void
  gauge(name: string, labels: MetricLabels, value: number): void
}

export interface Span {
  setAttribute(key: string, value: string | number | boolean): void
  recordError(error: unknown): void
}

export interface Tracer {
  /** Runs `fn` inside a span that ends when it settles; spans nest through async context. */
  span<T>(
    name: string,
    attributes: Readonly<Record<string, string | number | boolean>>,
    fn: (span: Span) => Promise<T>,
  ): Promise<T>
}

export interface Telemetry {
  readonly logger: Logger
  readonly metrics: Metrics
  readonly tracer: Tracer
}

const noopLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return noopLogger
  },
}
const noopSpan: Span = { setAttribute() {}, recordError() {} }

/** Telemetry that drops everything: the default when a host wires none. */
const noopTracer: Tracer = { span: (_name, _attributes, fn) => fn(noopSpan) }

export const noopTelemetry: Telemetry = Object.freeze({
  logger: noopLogger,
  metrics: { increment() {}, observe() {}, gauge() {} },
  tracer: noopTracer,
})
