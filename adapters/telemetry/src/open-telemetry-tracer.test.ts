import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CoreError } from '@agentry/contracts'
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace'
import { afterEach, describe, expect, it } from 'vitest'
import { createTelemetry } from './create-telemetry.js'

interface OtlpBody {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] }
    scopeSpans: { spans: { name: string }[] }[]
  }[]
}

const OTLP = { endpoint: 'http://127.0.0.1:9', scheduledDelayMs: 50 }

const toClose: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const close of toClose.splice(0)) await close()
})

function traced() {
  const exporter = new InMemorySpanExporter()
  const adapters = createTelemetry(
    { otlp: OTLP, processMetrics: false, logLevel: 'silent' },
    { spanExporter: exporter },
  )
  toClose.push(() => adapters.shutdown())
  return { adapters, exporter }
}

describe('OpenTelemetry tracer', () => {
  it('does nothing without an OTLP endpoint, but still runs the work', async () => {
    const adapters = createTelemetry({ processMetrics: false, logLevel: 'silent' })
    expect(adapters.isTracing).toBe(false)
    expect(await adapters.telemetry.tracer.span('x', {}, async () => 42)).toBe(42)
  })

  it('nests spans through async context and keeps their attributes', async () => {
    const { adapters, exporter } = traced()
    const { tracer } = adapters.telemetry
    await tracer.span('agentry.turn', { 'agentry.agent_id': 'a-1' }, async (turn) => {
      turn.setAttribute('agentry.turn_id', 't-1')
      await new Promise((resolve) => setTimeout(resolve, 1))
      await Promise.all([
        tracer.span('agentry.model.call', { 'gen_ai.system': 'local' }, async () => undefined),
        tracer.span('agentry.tool.call', { 'agentry.tool': 'math.evaluate' }, async () => undefined),
      ])
    })
    await adapters.flush()
    const spans = exporter.getFinishedSpans()
    const byName = new Map(spans.map((span) => [span.name, span]))
    const turn = byName.get('agentry.turn')!
    expect(turn.attributes).toMatchObject({ 'agentry.agent_id': 'a-1', 'agentry.turn_id': 't-1' })
    for (const name of ['agentry.model.call', 'agentry.tool.call']) {
      const child = byName.get(name)!
      expect(child.parentSpanContext?.spanId, name).toBe(turn.spanContext().spanId)
      expect(child.spanContext().traceId).toBe(turn.spanContext().traceId)
    }
    expect(turn.parentSpanContext).toBeUndefined()
  })

  it('marks a span that threw as an error with the code, and rethrows', async () => {
    const { adapters, exporter } = traced()
    const failure = new CoreError('TIMEOUT', 'slow')
    await expect(
      adapters.telemetry.tracer.span('agentry.model.call', {}, async () => Promise.reject(failure)),
    ).rejects.toBe(failure)
    await adapters.flush()
    const [span] = exporter.getFinishedSpans()
    expect(span?.status).toMatchObject({ code: 2, message: 'slow' })
    expect(span?.attributes['error.type']).toBe('TIMEOUT')
  })

  it('exports spans as OTLP/HTTP JSON to <endpoint>/v1/traces with the configured headers', async () => {
    const received: { url: string | undefined; headers: IncomingMessage['headers']; body: OtlpBody }[] = []
    const server = createServer((request, response) => {
      let body = ''
      request.on('data', (chunk) => {
        body += chunk
      })
      request.on('end', () => {
        received.push({ url: request.url, headers: request.headers, body: JSON.parse(body) as OtlpBody })
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    toClose.push(() => new Promise((resolve) => server.close(resolve)))
    const { port } = server.address() as AddressInfo
    const adapters = createTelemetry({
      serviceName: 'agentry-api',
      processMetrics: false,
      logLevel: 'silent',
      otlp: { endpoint: `http://127.0.0.1:${port}/`, headers: { 'x-tenant': 'ops' }, scheduledDelayMs: 50 },
    })
    await adapters.telemetry.tracer.span('agentry.turn', { 'agentry.turn_id': 't-9' }, async () => undefined)
    await adapters.shutdown()
    expect(received).toHaveLength(1)
    expect(received[0]?.url).toBe('/v1/traces')
    expect(received[0]?.headers['x-tenant']).toBe('ops')
    expect(received[0]?.headers['content-type']).toContain('application/json')
    const resourceSpans = received[0]?.body.resourceSpans[0]
    const serviceName = resourceSpans?.resource.attributes.find(
      (attribute) => attribute.key === 'service.name',
    )
    expect(serviceName?.value.stringValue).toBe('agentry-api')
    expect(resourceSpans?.scopeSpans[0]?.spans.map((span) => span.name)).toEqual(['agentry.turn'])
  })

  it('refuses an endpoint that is not an http(s) URL, naming the field', () => {
    expect(() => createTelemetry({ otlp: { endpoint: 'grpc://collector:4317' } })).toThrow(
      /INVALID|otlp\.endpoint/,
    )
  })
})
