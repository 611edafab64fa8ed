import { describe, expect, it } from 'vitest'
import { loadConfig } from '../config/load-config.js'

function problemsOf(environment: Record<string, string>): string {
  try {
    loadConfig(environment)
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('loadConfig accepted the environment')
}

describe('observability configuration', () => {
  it('has no tracing, no extra redaction, an open /metrics and no worker listener by default', () => {
    expect(loadConfig({}).observability).toEqual({
      serviceName: undefined,
      logRedactPaths: [],
      metricsToken: undefined,
      workerMetricsPort: undefined,
      otlp: undefined,
    })
  })

  it('reads redaction paths, the metrics token and port, and the OTLP endpoint, headers and service name', () => {
    const config = loadConfig({
      AGENTRY_LOG_REDACT: ' body.customer.ssn , *.iban,headers["x-card"] ',
      AGENTRY_METRICS_TOKEN: 'a-long-metrics-token',
      AGENTRY_WORKER_METRICS_PORT: '9464',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'X-Api-Key=abc%3D%3D, x-tenant = ops',
      OTEL_SERVICE_NAME: 'agentry-eu',
    })
    expect(config.observability).toEqual({
      serviceName: 'agentry-eu',
      logRedactPaths: ['body.customer.ssn', '*.iban', 'headers["x-card"]'],
      metricsToken: 'a-long-metrics-token',
      workerMetricsPort: 9464,
      otlp: { endpoint: 'http://otel-collector:4318', headers: { 'x-api-key': 'abc==', 'x-tenant': 'ops' } },
    })
  })

  it('treats empty values as unset', () => {
    const config = loadConfig({ AGENTRY_WORKER_METRICS_PORT: '', OTEL_EXPORTER_OTLP_ENDPOINT: ' ' })
    expect(config.observability.workerMetricsPort).toBeUndefined()
    expect(config.observability.otlp).toBeUndefined()
  })

  it('reports every bad value at once, naming each variable', () => {
    const message = problemsOf({
      AGENTRY_LOG_REDACT: 'body.ok,drop table;',
      AGENTRY_METRICS_TOKEN: 'short',
      AGENTRY_WORKER_METRICS_PORT: 'ninety',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317',
      OTEL_EXPORTER_OTLP_HEADERS: 'no-equals-sign',
    })
    expect(message).toContain('5 problem(s)')
    for (const name of [
      'AGENTRY_LOG_REDACT',
      'AGENTRY_METRICS_TOKEN',
      'AGENTRY_WORKER_METRICS_PORT',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'OTEL_EXPORTER_OTLP_HEADERS',
    ]) {
      expect(message).toContain(name)
    }
  })
})
