import { waitUntil } from '@agentry/contracts/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  metricValue,
  type ObservedPlatform,
  startObservedPlatform,
  startObservedWorker,
} from './support/observed-platform.js'
import { ADMIN_TOKEN } from './support/test-platform.js'

const METRICS_TOKEN = 'metrics-token-0123456789abcdef'
const CHAT_ROUTE = '/api/v1/agents/:agentId/chat'
const HANDBOOK =
  'Parcels are shipped within two working days. Damaged parcels must be reported within 48 hours of delivery.'

interface Reply<T = Record<string, unknown>> {
  readonly status: number
  readonly body: { data: T; error?: { code: string } }
}

async function call<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<Reply<T>> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  return { status: response.status, body: (await response.json()) as Reply<T>['body'] }
}

async function scrape(url: string): Promise<string> {
  const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4')
  return response.text()
}

describe('GET /metrics on the API (agentry start)', () => {
  let platform: ObservedPlatform
  let initial: string

  beforeAll(async () => {
    platform = await startObservedPlatform({ AGENTRY_METRICS_TOKEN: METRICS_TOKEN })
    initial = await scrape(platform.url)
  })
  afterAll(() => platform?.close())

  it('answers 401 with the error envelope without the metrics token, or with a wrong one', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Bearer not-the-metrics-token' },
      { authorization: ADMIN_TOKEN },
    ]) {
      const response = await fetch(`${platform.url}/metrics`, { headers })
      expect(response.status).toBe(401)
      const body = (await response.json()) as { error: { code: string; message: string } }
      expect(body.error.code).toBe('UNAUTHENTICATED')
      expect(body.error.message).toContain('AGENTRY_METRICS_TOKEN')
    }
  })

  it('declares the core and host metrics, and Node.js process metrics, before anything happened', () => {
    for (const name of [
      'agentry_http_requests_total',
      'agentry_http_request_duration_seconds',
      'agentry_turns_total',
      'agentry_model_calls_total',
      'agentry_model_call_duration_seconds',
      'agentry_model_tokens_total',
      'agentry_tool_calls_total',
      'agentry_retrieval_duration_seconds',
      'agentry_jobs_total',
      'agentry_job_duration_seconds',
      'agentry_queue_jobs',
    ]) {
      expect(initial).toContain(`# HELP ${name} `)
    }
    expect(initial).toContain('process_cpu_user_seconds_total')
    expect(initial).toContain('agentry_queue_jobs{kind="kb.index",state="waiting"} 0')
  })

  it('moves the request, turn, model, token, tool and retrieval metrics after a chat turn, and counts the indexing job', async () => {
    const base = `${platform.url}/api/v1`
    const company = await call<{ apiKey: string }>(base, 'POST', '/companies', ADMIN_TOKEN, { name: 'Acme' })
    const key = company.body.data.apiKey
    const knowledgeBase = await call<{ id: string }>(base, 'POST', '/knowledge-bases', key, {
      name: 'Handbook',
    })
    const added = await call<{ document: { id: string } }>(
      base,
      'POST',
      `/knowledge-bases/${knowledgeBase.body.data.id}/documents`,
      key,
      { type: 'text', text: HANDBOOK, title: 'Handbook' },
    )
    expect(added.status).toBe(202)
    await waitUntil(
      async () => {
        const document = await call<{ status: string }>(
          base,
          'GET',
          `/documents/${added.body.data.document.id}`,
          key,
        )
        return document.body.data.status === 'ready'
      },
      { timeoutMs: 20_000, message: 'the document to be indexed' },
    )
    const agent = await call<{ id: string }>(base, 'POST', '/agents', key, {
      name: 'Helper',
      config: {
        tools: { allow: ['math.evaluate'] },
        knowledge: { knowledgeBaseIds: [knowledgeBase.body.data.id], topK: 3 },
        providerOptions: {
          local: {
            rules: [
              {
                when: { contains: 'damaged' },
                // Arguments that do not match the tool's schema: a tool call failure.
                toolCalls: [{ name: 'math.evaluate', arguments: { formula: '48 / 24' } }],
                afterTools: 'The calculator said: {{tool.math.evaluate}}',
              },
            ],
          },
        },
      },
    })
    const before = await scrape(platform.url)

    const turn = await call<{ outcome: { type: string }; usage: Record<string, number> }>(
      base,
      'POST',
      `/agents/${agent.body.data.id}/chat`,
      key,
      { message: 'How long do I have to report a damaged parcel?' },
    )
    expect(turn.status).toBe(200)
    expect(turn.body.data.outcome.type).toBe('replied')
    const { usage } = turn.body.data
    const after = await scrape(platform.url)

    const moved = (name: string, labels: Record<string, string> = {}) =>
      metricValue(after, name, labels) - metricValue(before, name, labels)
    const chatRequest = { method: 'POST', route: CHAT_ROUTE, status: '200' }
    expect(moved('agentry_http_requests_total', chatRequest)).toBe(1)
    expect(moved('agentry_http_request_duration_seconds_count', chatRequest)).toBe(1)
    expect(moved('agentry_turns_total', { outcome: 'replied' })).toBe(1)
    expect(moved('agentry_turn_duration_seconds_count', { outcome: 'replied' })).toBe(1)
    expect(usage.modelCalls).toBe(2)
    expect(moved('agentry_model_calls_total', { provider: 'local', outcome: 'ok' })).toBe(2)
    expect(moved('agentry_model_call_duration_seconds_count', { provider: 'local', outcome: 'ok' })).toBe(2)
    expect(moved('agentry_model_tokens_total', { provider: 'local', direction: 'input' })).toBe(
      usage.inputTokens,
    )
    expect(moved('agentry_model_tokens_total', { provider: 'local', direction: 'output' })).toBe(
      usage.outputTokens,
    )
    expect(moved('agentry_tool_calls_total', { tool: 'math.evaluate', status: 'invalid-arguments' })).toBe(1)
    expect(moved('agentry_retrieval_duration_seconds_count', { outcome: 'ok' })).toBe(1)
    expect(metricValue(after, 'agentry_jobs_total', { kind: 'kb.index', outcome: 'ok' })).toBe(
      metricValue(initial, 'agentry_jobs_total', { kind: 'kb.index', outcome: 'ok' }) + 1,
    )
    expect(metricValue(after, 'agentry_job_duration_seconds_count', { kind: 'kb.index' })).toBeGreaterThan(0)
    // Labels carry route patterns and names, never ids.
    expect(after).not.toContain(agent.body.data.id)
    expect(after).not.toContain(knowledgeBase.body.data.id)
  })

  it('labels requests that matched no route as one route, whatever their URL', async () => {
    const before = await scrape(platform.url)
    for (const path of ['/nope', '/nope/1', '/api/v1/no-such-thing']) {
      expect((await fetch(`${platform.url}${path}`)).status).toBe(404)
    }
    const after = await scrape(platform.url)
    const unmatched = { route: 'unmatched', status: '404' }
    expect(metricValue(after, 'agentry_http_requests_total', unmatched)).toBe(
      metricValue(before, 'agentry_http_requests_total', unmatched) + 3,
    )
    expect(after).not.toContain('no-such-thing')
  })
})

describe('the worker metrics port (agentry worker, AGENTRY_WORKER_METRICS_PORT)', () => {
  it('serves /metrics (token rule included) and /healthz, and counts the jobs the worker ran', async () => {
    const worker = await startObservedWorker({
      AGENTRY_WORKER_METRICS_PORT: '0',
      AGENTRY_METRICS_TOKEN: METRICS_TOKEN,
    })
    try {
      const url = worker.server.metricsUrl
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(worker.server.app).toBeNull()
      expect(worker.printed).toContain(`Worker metrics on ${url}/metrics.`)
      expect((await fetch(`${url}/metrics`)).status).toBe(401)
      expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ data: { status: 'ok' } })
      expect((await fetch(`${url}/other`)).status).toBe(404)

      const job = await worker.server.composition.queue.enqueue(
        { kind: 'kb.index', companyId: null, payload: { documentId: 'no-such-document' } },
        { attempts: 1 },
      )
      const text = await waitUntil(
        async () => {
          const current = await scrape(url ?? '')
          return metricValue(current, 'agentry_jobs_total', { kind: 'kb.index' }) === 1 ? current : null
        },
        { timeoutMs: 10_000, message: 'the job to be counted' },
      )
      expect(metricValue(text, 'agentry_job_duration_seconds_count', { kind: 'kb.index' })).toBe(1)
      const jobLines = worker.logs.lines.filter((line) => line.includes(job.id))
      expect(jobLines.length).toBeGreaterThan(0)
      for (const line of jobLines)
        expect(JSON.parse(line)).toMatchObject({ jobId: job.id, jobKind: 'kb.index' })
    } finally {
      await worker.close()
    }
  })
})
