import { z } from 'zod'

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/** A pino redaction path: `password`, `*.apiKey`, `request.headers["x-api-key"]`. */
const redactPath = z
  .string()
  .trim()
  .min(1)
  .regex(/^[A-Za-z0-9_*.[\]"'-]+$/, 'redaction paths look like password, *.apiKey or headers["x-api-key"]')

export const OtlpConfigSchema = z.strictObject({
  /**
   * The collector's base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`, e.g. `http://otel-collector:4318`);
   * spans go to `<endpoint>/v1/traces` as OTLP/HTTP JSON.
   */
  endpoint: z.url({ protocol: /^https?$/, error: 'endpoint must be an http:// or https:// URL' }),
  /** Sent with every export (`OTEL_EXPORTER_OTLP_HEADERS`), e.g. an API key of the tracing vendor. */
  headers: z.record(z.string(), z.string()).default({}),
  /** Spans are exported in batches at most this long after they end. */
  scheduledDelayMs: z.int().min(1).max(60_000).default(2_000),
})

/** Configuration of `createTelemetry`. Validated strictly; defaults are filled in. */
export const TelemetryConfigSchema = z.strictObject({
  /** `service.name` of the spans and the `service` field of every log line. */
  serviceName: z.string().trim().min(1).max(100).default('agentry'),
  logLevel: z.enum(LOG_LEVELS).default('info'),
  /** Extra pino redaction paths, on top of `DEFAULT_REDACT_PATHS`. */
  redactPaths: z.array(redactPath).default([]),
  /** Spans are exported only when this is set; without it the tracer does nothing (and costs nothing). */
  otlp: OtlpConfigSchema.optional(),
  /** Node.js process metrics (CPU, memory, event loop lag, GC) beside the platform's own. */
  processMetrics: z.boolean().default(true),
})

export type TelemetryConfig = z.output<typeof TelemetryConfigSchema>
export type TelemetryConfigInput = z.input<typeof TelemetryConfigSchema>
export type LogLevel = (typeof LOG_LEVELS)[number]
