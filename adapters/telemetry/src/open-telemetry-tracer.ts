import type { Span, Tracer } from '@agentry/contracts'
import { context, type Span as OtelSpan, type Tracer as OtelTracer, SpanStatusCode } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { BatchSpanProcessor, type SpanExporter, TracerProvider } from '@opentelemetry/sdk-trace'
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions'
import type { TelemetryConfig } from './telemetry-config.js'

export interface TracingOptions {
  readonly serviceName: string
  readonly otlp: NonNullable<TelemetryConfig['otlp']>
  /** Replaces the OTLP exporter (an in-memory one in tests). */
  readonly exporter?: SpanExporter
}

export interface Tracing {
  readonly tracer: Tracer
  /** Exports the spans that ended and are still queued. */
  flush(): Promise<void>
  /** Flushes, then stops exporting. Idempotent. */
  shutdown(): Promise<void>
}

let contextManager: AsyncLocalStorageContextManager | undefined

/**
 * Spans nest through async context: one AsyncLocalStorage context manager for the process,
 * registered with the OpenTelemetry API the first time tracing starts (unless one is already there).
 */
function ensureContextManager(): void {
  if (contextManager) return
  contextManager = new AsyncLocalStorageContextManager().enable()
  if (!context.setGlobalContextManager(contextManager)) contextManager.disable()
}

/**
 * The `Tracer` port on the OpenTelemetry SDK: a tracer provider of this process (not registered
 * globally, so several can live in one test process), spans batched and exported as OTLP/HTTP JSON to
 * `<endpoint>/v1/traces`.
 */
export function createTracing(options: TracingOptions): Tracing {
  ensureContextManager()
  const endpoint = options.otlp.endpoint.replace(/\/+$/, '')
  const exporter =
    options.exporter ??
    new OTLPTraceExporter({ url: `${endpoint}/v1/traces`, headers: { ...options.otlp.headers } })
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    spanProcessors: [
      new BatchSpanProcessor({ exporter, scheduledDelayMillis: options.otlp.scheduledDelayMs }),
    ],
  })
  let stopping: Promise<void> | undefined
  return {
    tracer: new OpenTelemetryTracer(provider.getTracer('agentry')),
    flush: () => provider.forceFlush(),
    shutdown: () => {
      stopping ??= provider.shutdown()
      return stopping
    },
  }
}

export class OpenTelemetryTracer implements Tracer {
  readonly #tracer: OtelTracer

  constructor(tracer: OtelTracer) {
    this.#tracer = tracer
  }

  span<T>(
    name: string,
    attributes: Readonly<Record<string, string | number | boolean>>,
    fn: (span: Span) => Promise<T>,
  ): Promise<T> {
    return this.#tracer.startActiveSpan(name, { attributes: { ...attributes } }, async (span) => {
      try {
        return await fn(portSpan(span))
      } catch (error) {
        recordError(span, error)
        throw error
      } finally {
        span.end()
      }
    })
  }
}

function portSpan(span: OtelSpan): Span {
  return {
    setAttribute: (key, value) => {
      span.setAttribute(key, value)
    },
    recordError: (error) => recordError(span, error),
  }
}

function recordError(span: OtelSpan, error: unknown): void {
  const exception = error instanceof Error ? error : new Error(String(error))
  const code = (error as { code?: unknown }).code
  span.recordException(exception)
  if (typeof code === 'string') span.setAttribute('error.type', code)
  span.setStatus({ code: SpanStatusCode.ERROR, message: exception.message })
}
