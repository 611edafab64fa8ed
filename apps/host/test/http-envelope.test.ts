import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { routePath } from '../src/http/route-definition.js'
import { ROUTES } from '../src/routes/route-areas.js'
import { createCompany, type TestCompany } from './support/tenant-fixtures.js'
import { TestApi } from './support/test-api.js'
import { ADMIN_TOKEN, startTestPlatform, type TestPlatform } from './support/test-platform.js'

let platform: TestPlatform
let acme: TestCompany

beforeAll(async () => {
  platform = await startTestPlatform({ AGENTRY_BODY_LIMIT_BYTES: '2048' })
  acme = await createCompany(new TestApi(platform.app), 'Acme')
})
afterAll(() => platform?.close())

type ErrorBody = {
  error: { code: string; message: string; details?: { issues?: unknown[] }; requestId: string }
}

describe('request ids', () => {
  it('echoes a safe X-Request-Id on success and failure, and puts it in the error', async () => {
    const ok = await acme.api.get('/api/v1/agents', { headers: { 'x-request-id': 'trace-123.abc' } })
    expect(ok.headers['x-request-id']).toBe('trace-123.abc')
    const failed = await acme.api.get<ErrorBody>('/api/v1/agents/not-an-id', {
      headers: { 'x-request-id': 'trace-456' },
    })
    expect(failed.headers['x-request-id']).toBe('trace-456')
    expect(failed.body.error.requestId).toBe('trace-456')
  })

  it('replaces an unsafe or oversized X-Request-Id with a generated one', async () => {
    for (const sent of ['has spaces and <script>', 'x'.repeat(200)]) {
      const response = await acme.api.get('/api/v1/agents', { headers: { 'x-request-id': sent } })
      expect(response.headers['x-request-id']).not.toBe(sent)
      expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    }
  })

  it('writes the request id into the audit row of a change', async () => {
    await acme.api.post('/api/v1/agents', { name: 'Audited' }, { headers: { 'x-request-id': 'audit-me-1' } })
    const audit = await acme.api.get<{ data: { action: string; requestId: string }[] }>(
      '/api/v1/audit?action=agent.create',
    )
    expect(audit.body.data[0]).toMatchObject({ action: 'agent.create', requestId: 'audit-me-1' })
  })
})

describe('the error envelope for bad requests', () => {
  it('names each invalid field, where it is and what to fix', async () => {
    const response = await acme.api.post<ErrorBody>('/api/v1/agents', {
      name: '',
      config: { model: { temperature: 7 }, tools: { allow: ['not a tool name'] } },
    })
    expect(response.status).toBe(400)
    expect(response.body.error.code).toBe('INVALID_INPUT')
    const issues = response.body.error.details?.issues as {
      path: string
      location: string
      message: string
    }[]
    expect(issues.map((issue) => `${issue.location} ${issue.path}`).sort()).toEqual([
      'body config.model.temperature',
      'body config.tools.allow.0',
      'body name',
    ])
    expect(issues.find((issue) => issue.path === 'config.tools.allow.0')?.message).toContain('namespace.name')
  })

  it('reports the scripted rules the core rejects, with their paths', async () => {
    const response = await acme.api.post<ErrorBody>('/api/v1/agents', {
      name: 'Bad rules',
      config: { providerOptions: { local: { rules: [{ when: { matches: '(a+)+' }, reply: 'x' }] } } },
    })
    expect(response.status).toBe(400)
    const issues = response.body.error.details?.issues as { path: string }[]
    expect(issues.map((issue) => issue.path)).toEqual(['providerOptions.local.rules.0.when.matches'])
  })

  it('answers malformed JSON with 400, a wrong content type with 415, a large body with 413', async () => {
    const malformed = await acme.api.request<ErrorBody>('POST', '/api/v1/agents', {
      rawBody: '{"name": ',
      headers: { 'content-type': 'application/json' },
    })
    expect([malformed.status, malformed.body.error.code]).toEqual([400, 'INVALID_INPUT'])
    const text = await acme.api.request<ErrorBody>('POST', '/api/v1/agents', {
      rawBody: 'name=x',
      headers: { 'content-type': 'text/plain' },
    })
    expect([text.status, text.body.error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE'])
    expect(text.body.error.message).toContain('application/json')
    const large = await acme.api.post<ErrorBody>('/api/v1/agents', {
      name: 'x',
      config: { systemPrompt: 'y'.repeat(5000) },
    })
    expect([large.status, large.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE'])
    expect(large.body.error.message).toContain('2048')
  })

  it('takes an empty JSON body as no body on routes without one', async () => {
    const agent = await acme.api.post<{ data: { id: string } }>('/api/v1/agents', { name: 'To disable' })
    const response = await acme.api.request('POST', `/api/v1/agents/${agent.body.data.id}/disable`, {
      rawBody: '',
      headers: { 'content-type': 'application/json' },
    })
    expect(response.status).toBe(200)
  })

  it('answers an unknown route or method with 404 in the envelope', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/nothing-here'],
      ['DELETE', '/api/v1/companies'],
      ['GET', '/'],
    ] as const) {
      const response = await acme.api.request<ErrorBody>(method, url)
      expect([response.status, response.body.error.code], url).toEqual([404, 'NOT_FOUND'])
      expect(response.body.error.requestId).toBe(response.headers['x-request-id'])
    }
  })

  it('answers 401 with the envelope and says how to authenticate', async () => {
    const response = await acme.api.as(undefined).get<ErrorBody>('/api/v1/agents')
    expect(response.status).toBe(401)
    expect(response.body.error).toMatchObject({ code: 'UNAUTHENTICATED' })
    expect(response.body.error.message).toContain('Authorization: Bearer')
  })
})

describe('streaming', () => {
  it('answers a streamed request refused before the turn starts with a JSON error, not a stream', async () => {
    const agent = await acme.api.post<{ data: { id: string } }>('/api/v1/agents', { name: 'Off' })
    await acme.api.post(`/api/v1/agents/${agent.body.data.id}/disable`)
    const response = await acme.api.post<ErrorBody>(
      `/api/v1/agents/${agent.body.data.id}/chat`,
      { message: 'hello' },
      { headers: { accept: 'text/event-stream' } },
    )
    expect(response.headers['content-type']).toContain('application/json')
    expect([response.status, response.body.error.code]).toEqual([409, 'CONFLICT'])
    expect(response.body.error.message).toContain('disabled')
  })
})

describe('credentials', () => {
  it('refuses a revoked key at once, though authenticated keys are remembered for a few seconds', async () => {
    const created = await acme.api.post<{ data: { key: string; apiKey: { id: string } } }>(
      '/api/v1/api-keys',
      {
        name: 'short-lived',
        permissions: ['agents:view'],
      },
    )
    const key = acme.api.as(created.body.data.key)
    expect((await key.get('/api/v1/agents')).status).toBe(200)
    const revoked = await acme.api.post(`/api/v1/api-keys/${created.body.data.apiKey.id}/revoke`)
    expect(revoked.status).toBe(200)
    const refused = await key.get<ErrorBody>('/api/v1/agents')
    expect([refused.status, refused.body.error.code]).toEqual([401, 'UNAUTHENTICATED'])
    expect(refused.body.error.message).toContain('revoked')
  })

  it('stops a disabled user’s token at once', async () => {
    const created = await acme.api.post<{ data: { id: string } }>('/api/v1/users', {
      email: 'leaving@acme.example',
      name: 'Leaving',
      role: 'viewer',
      password: 'correct horse battery staple',
    })
    const login = await acme.api.as(undefined).post<{ data: { token: string } }>('/api/v1/auth/login', {
      email: 'leaving@acme.example',
      password: 'correct horse battery staple',
    })
    const user = acme.api.as(login.body.data.token)
    expect((await user.get('/api/v1/agents')).status).toBe(200)
    await acme.api.post(`/api/v1/users/${created.body.data.id}/disable`)
    expect((await user.get('/api/v1/agents')).status).toBe(401)
  })

  it('refuses the platform admin token inside a company, and API keys on platform routes', async () => {
    const admin = await acme.api.as(ADMIN_TOKEN).get<ErrorBody>('/api/v1/agents')
    expect([admin.status, admin.body.error.code]).toEqual([403, 'FORBIDDEN'])
    const key = await acme.api.get<ErrorBody>('/api/v1/companies')
    expect([key.status, key.body.error.code]).toEqual([403, 'FORBIDDEN'])
    const wrong = await acme.api.as('not-the-admin-token-0123456789').get<ErrorBody>('/api/v1/companies')
    expect([wrong.status, wrong.body.error.code]).toEqual([401, 'UNAUTHENTICATED'])
  })
})

describe('health and the API description', () => {
  it('answers liveness and readiness', async () => {
    expect((await acme.api.as(undefined).get('/healthz')).body).toEqual({ data: { status: 'ok' } })
    expect((await acme.api.as(undefined).get('/readyz')).body).toEqual({
      data: { status: 'ready', checks: { database: 'ok', queue: 'ok' } },
    })
  })

  it('describes every route of the table in OpenAPI 3.1, with its schemas and bearer auth', async () => {
    const response = await acme.api.as(undefined).get<{
      openapi: string
      paths: Record<
        string,
        Record<string, { security?: unknown[]; requestBody?: unknown; parameters?: unknown[] }>
      >
    }>('/openapi.json')
    expect(response.body.openapi).toBe('3.1.0')
    for (const route of ROUTES) {
      const path = routePath(route).replace(/:([A-Za-z]+)/g, '{$1}')
      const operation = response.body.paths[path]?.[route.method.toLowerCase()]
      expect(operation, `${route.method} ${path}`).toBeDefined()
      expect(Boolean(operation?.security), path).toBe(route.access !== 'public')
      expect(Boolean(operation?.requestBody), path).toBe(route.schema.body !== undefined)
    }
  })

  it('serves the interactive docs', async () => {
    const response = await acme.api.as(undefined).get('/docs/')
    expect(response.status).toBe(200)
    expect(response.text).toContain('swagger')
  })
})
