import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ObservedPlatform, startObservedPlatform } from './support/observed-platform.js'
import { ADMIN_TOKEN } from './support/test-platform.js'

interface OtlpAttribute {
  readonly key: string
  readonly value: { stringValue?: string; intValue?: number | string; boolValue?: boolean }
}
interface OtlpSpan {
  readonly traceId: string
  readonly spanId: string
  readonly parentSpanId?: string
  readonly name: string
  readonly attributes: OtlpAttribute[]
  readonly status?: { code?: number }
}
interface OtlpBody {
  readonly resourceSpans: {
    resource: { attributes: OtlpAttribute[] }
    scopeSpans: { spans: OtlpSpan[] }[]
  }[]
}

/** A local OpenTelemetry collector: records every OTLP/HTTP JSON export it receives. */
async function startCollector() {
  const exports: { url: string | undefined; headers: IncomingHttpHeaders; body: OtlpBody }[] = []
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => {
      body += chunk
    })
    request.on('end', () => {
      exports.push({ url: request.url, headers: request.headers, body: JSON.parse(body) as OtlpBody })
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exports,
    spans: () =>
      exports.flatMap((entry) =>
        entry.body.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

function attribute(attributes: readonly OtlpAttribute[], key: string): unknown {
  const value = attributes.find((entry) => entry.key === key)?.value
  if (!value) return undefined
  if (value.intValue !== undefined) return Number(value.intValue)
  return value.stringValue ?? value.boolValue
}

async function post(url: string, token: string, body: unknown, requestId?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...(requestId ? { 'x-request-id': requestId } : {}),
    },
    body: JSON.stringify(body),
  })
  return (await response.json()) as { data: Record<string, unknown> & { id: string } }
}

describe('OpenTelemetry spans exported to an OTLP endpoint', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>
  let platform: ObservedPlatform
  let spans: OtlpSpan[]

  beforeAll(async () => {
    collector = await startCollector()
    platform = await startObservedPlatform({
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-key=abc%3D,x-tenant=ops',
      OTEL_SERVICE_NAME: 'agentry-traced',
    })
    const base = `${platform.url}/api/v1`
    const company = await post(`${base}/companies`, ADMIN_TOKEN, { name: 'Acme' })
    const key = company.data.apiKey as string
    const knowledgeBase = await post(`${base}/knowledge-bases`, key, { name: 'Handbook' })
    const agent = await post(`${base}/agents`, key, {
      name: 'Calculator',
      config: {
        tools: { allow: ['math.evaluate'] },
        knowledge: { knowledgeBaseIds: [knowledgeBase.data.id], topK: 3 },
        providerOptions: {
          local: {
            rules: [
              {
                when: { contains: 'compute' },
                toolCalls: [{ name: 'math.evaluate', arguments: { expression: '6 * 7' } }],
                afterTools: 'The calculator said: {{tool.math.evaluate}}',
              },
            ],
          },
        },
      },
    })
    const turn = await post(
      `${base}/agents/${agent.data.id}/chat`,
      key,
      { message: 'compute it' },
      'trace-me-1',
    )
    expect(turn.data.outcome).toEqual({ type: 'replied' })
    expect((await fetch(`${platform.url}/healthz`)).status).toBe(200)
    expect((await fetch(`${base}/me`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200)
    // Stopping exports the spans still queued.
    await platform.close()
    spans = collector.spans()
  })
  afterAll(async () => {
    await platform?.close()
    await collector?.close()
  })

  it('says at start where spans go, and exports to <endpoint>/v1/traces with the configured headers and service', () => {
    expect(platform.printed).toContain(`Tracing: spans are exported to ${collector.url}.`)
    expect(collector.exports.length).toBeGreaterThan(0)
    const [first] = collector.exports
    expect(first?.url).toBe('/v1/traces')
    expect(first?.headers['x-collector-key']).toBe('abc=')
    expect(first?.headers['x-tenant']).toBe('ops')
    const service = attribute(first?.body.resourceSpans[0]?.resource.attributes ?? [], 'service.name')
    expect(service).toBe('agentry-traced')
  })

  it('makes the API request span the parent of the turn span, and the turn the parent of its model, tool and retrieval spans', () => {
    const request = spans.find(
      (span) =>
        span.name === 'POST /api/v1/agents/:agentId/chat' &&
        attribute(span.attributes, 'agentry.request_id') === 'trace-me-1',
    )
    expect(request).toBeDefined()
    expect(request?.parentSpanId || undefined).toBeUndefined()
    expect(attribute(request?.attributes ?? [], 'http.route')).toBe('/api/v1/agents/:agentId/chat')
    expect(attribute(request?.attributes ?? [], 'http.response.status_code')).toBe(200)
    expect(attribute(request?.attributes ?? [], 'agentry.company_id')).toEqual(expect.any(String))

    const turns = spans.filter((span) => span.name === 'agentry.turn' && span.traceId === request?.traceId)
    expect(turns).toHaveLength(1)
    const turn = turns[0]
    expect(turn?.parentSpanId).toBe(request?.spanId)

    const children = spans.filter((span) => span.parentSpanId === turn?.spanId)
    const byName = (name: string) => children.filter((span) => span.name === name)
    expect(byName('agentry.model.call')).toHaveLength(2)
    expect(byName('agentry.tool.call')).toHaveLength(1)
    expect(byName('agentry.retrieval')).toHaveLength(1)
    expect(attribute(byName('agentry.model.call')[0]?.attributes ?? [], 'gen_ai.system')).toBe('local')
    expect(attribute(byName('agentry.tool.call')[0]?.attributes ?? [], 'agentry.tool.status')).toBe('ok')
    for (const child of children) expect(child.traceId).toBe(request?.traceId)
  })

  it('gives every request a root span of its own, named after its route; probes get none', () => {
    const me = spans.filter((span) => span.name === 'GET /api/v1/me')
    expect(me).toHaveLength(1)
    expect(me[0]?.parentSpanId || undefined).toBeUndefined()
    expect(spans.filter((span) => span.name.includes('/healthz'))).toEqual([])
    const requestTraces = spans
      .filter((span) => span.name.startsWith('POST ') || span.name.startsWith('GET '))
      .map((span) => span.traceId)
    expect(new Set(requestTraces).size).toBe(requestTraces.length)
  })
})
