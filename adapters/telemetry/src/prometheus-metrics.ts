import type { MetricLabels, Metrics } from '@agentry/contracts'
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

/** One metric the platform emits: its Prometheus type, help text and every label it may carry. */
export interface MetricDefinition {
  readonly name: string
  readonly type: 'counter' | 'histogram' | 'gauge'
  readonly help: string
  readonly labelNames: readonly string[]
  /** Histogram buckets (seconds for `_seconds` metrics); prom-client's defaults when absent. */
  readonly buckets?: readonly number[]
}

type Instrument = Counter<string> | Histogram<string> | Gauge<string>

export interface PrometheusMetricsOptions {
  readonly definitions: readonly MetricDefinition[]
  readonly processMetrics: boolean
  /** Told once per metric about a call that could not be recorded (wrong type, unknown label). */
  readonly onProblem?: (message: string) => void
}

/**
 * The `Metrics` port on a prom-client registry of its own. Metrics are declared up front from
 * `definitions` (help, labels, buckets); a name nobody declared is created on first use with the
 * labels of that call. Recording never throws: a call that does not fit its metric (a counter
 * observed, a label not declared) is dropped and reported once through `onProblem`.
 */
export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry()
  readonly #instruments = new Map<string, { type: MetricDefinition['type']; instrument: Instrument }>()
  readonly #reported = new Set<string>()
  readonly #onProblem: (message: string) => void

  constructor(options: PrometheusMetricsOptions) {
    this.#onProblem = options.onProblem ?? (() => undefined)
    for (const definition of options.definitions) this.#define(definition)
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry })
  }

  /** The exposition content type (`text/plain; version=0.0.4`). */
  get contentType(): string {
    return this.registry.contentType
  }

  /** Every metric in the Prometheus text format, for `GET /metrics`. */
  render(): Promise<string> {
    return this.registry.metrics()
  }

  increment(name: string, labels: MetricLabels = {}, value = 1): void {
    this.#record(name, 'counter', labels, (instrument) => (instrument as Counter<string>).inc(labels, value))
  }

  observe(name: string, labels: MetricLabels, value: number): void {
    this.#record(name, 'histogram', labels, (instrument) =>
      (instrument as Histogram<string>).observe(labels, value),
    )
  }

  gauge(name: string, labels: MetricLabels, value: number): void {
    this.#record(name, 'gauge', labels, (instrument) => (instrument as Gauge<string>).set(labels, value))
  }

  #record(
    name: string,
    type: MetricDefinition['type'],
    labels: MetricLabels,
    write: (instrument: Instrument) => void,
  ): void {
    try {
      const known =
        this.#instruments.get(name) ??
        this.#define({
          name,
          type,
          help: `${name} (not declared by the platform)`,
          labelNames: Object.keys(labels),
        })
      if (known.type !== type) {
        this.#report(name, `${name} is a ${known.type}; a ${type} call was dropped`)
        return
      }
      write(known.instrument)
    } catch (error) {
      this.#report(
        name,
        `${name} could not be recorded: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
  }

  #define(definition: MetricDefinition) {
    const base = { name: definition.name, help: definition.help, labelNames: [...definition.labelNames] }
    const registers = [this.registry]
    const instrument: Instrument =
      definition.type === 'counter'
        ? new Counter({ ...base, registers })
        : definition.type === 'gauge'
          ? new Gauge({ ...base, registers })
          : new Histogram({
              ...base,
              registers,
              ...(definition.buckets ? { buckets: [...definition.buckets] } : {}),
            })
    const entry = { type: definition.type, instrument }
    this.#instruments.set(definition.name, entry)
    return entry
  }

  #report(name: string, message: string): void {
    if (this.#reported.has(name)) return
    this.#reported.add(name)
    this.#onProblem(message)
  }
}
