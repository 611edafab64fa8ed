import { z } from 'zod'

/** A pino redaction path, as the telemetry adapter accepts it: `password`, `*.iban`, `body["card-number"]`. */
const REDACT_PATH = /^[A-Za-z0-9_*.[\]"'-]+$/

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional()

/** Comma-separated pino paths. */
const redactPaths = z
  .string()
  .trim()
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(REDACT_PATH, 'paths look like password, *.iban or body["card-number"]')))

/** `key=value` pairs separated by commas, values URL-encoded (the OpenTelemetry convention). */
const otlpHeaders = z
  .string()
  .trim()
  .transform((value, context) => {
    const headers: Record<string, string> = {}
    for (const entry of value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)) {
      const equals = entry.indexOf('=')
      const name = entry.slice(0, equals).trim()
      if (equals < 1 || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) {
        context.addIssue({ code: 'custom', message: 'entries look like name=value, separated by commas' })
        return z.NEVER
      }
      try {
        headers[name.toLowerCase()] = decodeURIComponent(entry.slice(equals + 1).trim())
      } catch {
        context.addIssue({ code: 'custom', message: `the value of ${name} is not valid URL encoding` })
        return z.NEVER
      }
    }
    return headers
  })

/** The observability variables of the environment, spread into the host's schema (`loadConfig`). */
export const OBSERVABILITY_ENVIRONMENT = {
  /** Extra log fields to redact (pino paths, comma-separated), on top of the built-in secret fields. */
  AGENTRY_LOG_REDACT: optionalString.pipe(redactPaths.optional()),
  /** When set, `GET /metrics` needs `Authorization: Bearer <token>`; open when unset. */
  AGENTRY_METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  /** `agentry worker` serves `GET /metrics` and `GET /healthz` on this port; no listener when unset. */
  AGENTRY_WORKER_METRICS_PORT: optionalString
    .transform((value) => (value === undefined ? undefined : Number(value)))
    .pipe(z.number().int().min(0).max(65_535).optional()),
  /** The OpenTelemetry collector's base URL (OTLP/HTTP); spans are exported only when it is set. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalString.pipe(
    z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  ),
  /** Headers sent with every export, `name=value,name2=value2` (a tracing vendor's API key). */
  OTEL_EXPORTER_OTLP_HEADERS: optionalString.pipe(otlpHeaders.optional()),
  /** `service.name` of spans and `service` of log lines; `agentry`, `agentry-api` or `agentry-worker`. */
  OTEL_SERVICE_NAME: optionalString.pipe(z.string().max(100).optional()),
}

const ObservabilityEnvironmentSchema = z.object(OBSERVABILITY_ENVIRONMENT)

export type ObservabilityEnvironment = z.output<typeof ObservabilityEnvironmentSchema>

/** Logs, metrics and traces of a host process (docs/operations.md, "Observability"). */
export interface ObservabilityConfig {
  /** `OTEL_SERVICE_NAME`; the process mode's name (`agentry`, `agentry-api`, `agentry-worker`) when unset. */
  readonly serviceName: string | undefined
  readonly logRedactPaths: readonly string[]
  readonly metricsToken: string | undefined
  readonly workerMetricsPort: number | undefined
  readonly otlp: { readonly endpoint: string; readonly headers: Readonly<Record<string, string>> } | undefined
}

export function observabilityConfig(env: ObservabilityEnvironment): ObservabilityConfig {
  return {
    serviceName: env.OTEL_SERVICE_NAME,
    logRedactPaths: env.AGENTRY_LOG_REDACT ?? [],
    metricsToken: env.AGENTRY_METRICS_TOKEN,
    workerMetricsPort: env.AGENTRY_WORKER_METRICS_PORT,
    otlp: env.OTEL_EXPORTER_OTLP_ENDPOINT
      ? { endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT, headers: env.OTEL_EXPORTER_OTLP_HEADERS ?? {} }
      : undefined,
  }
}
