import { CORE_METRICS } from '@agentry/core'
import { createTelemetry, type TelemetryAdapters, type TelemetryOptions } from '@agentry/telemetry'
import type { Config } from '../config/load-config.js'
import { HOST_METRICS } from './host-metrics.js'

export interface HostTelemetryOptions extends Omit<TelemetryOptions, 'metrics'> {
  /** The service name when `OTEL_SERVICE_NAME` is unset: `agentry`, `agentry-api` or `agentry-worker`. */
  readonly serviceName: string
}

/**
 * The process's logs, metrics and spans from the config: JSON logs at `AGENTRY_LOG_LEVEL` with the
 * built-in secret fields and `AGENTRY_LOG_REDACT` redacted, the core's and the host's metrics (plus
 * Node.js process metrics), and spans exported to `OTEL_EXPORTER_OTLP_ENDPOINT` when it is set
 * (a no-op tracer otherwise).
 */
export function createHostTelemetry(config: Config, options: HostTelemetryOptions): TelemetryAdapters {
  const { serviceName, ...telemetryOptions } = options
  const { observability } = config
  return createTelemetry(
    {
      serviceName: observability.serviceName ?? serviceName,
      logLevel: config.logLevel,
      redactPaths: [...observability.logRedactPaths],
      ...(observability.otlp
        ? { otlp: { endpoint: observability.otlp.endpoint, headers: { ...observability.otlp.headers } } }
        : {}),
    },
    { ...telemetryOptions, metrics: [...CORE_METRICS, ...HOST_METRICS] },
  )
}
