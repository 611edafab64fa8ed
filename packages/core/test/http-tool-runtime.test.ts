import type { HttpResponse } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import { afterEach, describe, expect, it } from 'vitest'
import type { RequestContext, ToolInput } from '../src/index.js'
import { createToolWorld, json, type ToolWorld } from './tool-world.js'

const TOKEN = 'sk-live-7f3a9c1e5b'

let world: ToolWorld
afterEach(() => world?.close())

async function setup(http: Partial<NonNullable<ToolInput['http']>> = {}, extra: Partial<ToolInput> = {}) {
  world = createToolWorld()
  const { context, companyId } = await world.company()
  await world.agentry.secrets.put(context, { name: 'crm-token', value: TOKEN })
  const tool = await world.agentry.toolDefinitions.create(context, {
    name: 'crm.update',
    kind: 'http',
    description: 'Updates a customer.',
    inputSchema: {
      type: 'object',
      properties: { id: { type: 'string' }, note: { type: 'string' }, password: { type: 'string' } },
      required: ['id'],
    },
    retry: { attempts: 3, backoffMs: 0 },
    http: {
      method: 'GET',
      url: 'https://crm.example.com/customers/{id}',
      auth: { type: 'bearer', secretName: 'crm-token' },
      ...http,
    },
    ...extra,
  })
  const test = (context_: RequestContext, args: unknown) =>
    world.agentry.toolDefinitions.test(context_, tool.id, args)
  return { context, companyId, tool, test: (args: unknown) => test(context, args) }
}

function text(status: number, body: string, type = 'text/plain'): HttpResponse {
  return {
    status,
    headers: { 'content-type': type },
    body: new TextEncoder().encode(body),
    truncated: false,
    url: '',
    redirects: 0,
  }
}

describe('HTTP tools: request mapping and auth', () => {
  it('sends the bearer token from the secret, arguments URL-encoded, no body for GET', async () => {
    const { test } = await setup()
    expect(await test({ id: 'a b/c?d' })).toMatchObject({ ok: true })
    const [request] = world.http.requests
    expect(request?.url).toBe('https://crm.example.com/customers/a%20b%2Fc%3Fd')
    expect(request?.headers?.authorization).toBe(`Bearer ${TOKEN}`)
    expect(request?.body).toBeUndefined()
  })

  it('sends the arguments as JSON for POST, with header templates and the basic or header auth', async () => {
    const { test, context } = await setup({
      method: 'POST',
      headers: { 'X-Customer': '{id}' },
      auth: { type: 'basic', secretName: 'crm-basic' },
    })
    await world.agentry.secrets.put(context, { name: 'crm-basic', value: 'ann:pa55word' })
    await test({ id: '42', note: 'hello' })
    const [request] = world.http.requests
    expect(request?.headers).toMatchObject({
      'x-customer': '42',
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from('ann:pa55word').toString('base64')}`,
    })
    expect(JSON.parse(String(request?.body))).toEqual({ id: '42', note: 'hello' })
  })

  it('refuses dot segments and header line breaks in arguments before sending anything', async () => {
    const { test } = await setup({ headers: { 'X-Note': '{note}' } })
    expect(await test({ id: '..' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(await test({ id: '1', note: 'a\r\nX-Admin: yes' })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('line breaks') },
    })
    expect(world.http.requests).toEqual([])
  })

  it('says which secret is missing, and sends nothing', async () => {
    const { test, context } = await setup()
    await world.agentry.secrets.delete(context, 'crm-token')
    const result = await test({ id: '1' })
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(!result.ok && result.error.message).toContain('needs the secret "crm-token"')
    expect(world.http.requests).toEqual([])
  })

  it("passes the tool's and the company's host lists to the guarded client", async () => {
    world = createToolWorld({
      outboundHosts: { hostsFor: async () => ({ allow: ['*.example.com'], deny: ['evil.example.com'] }) },
    })
    const { context } = await world.company()
    const tool = await world.agentry.toolDefinitions.create(context, {
      name: 'crm.ping',
      kind: 'http',
      description: 'Ping.',
      http: {
        method: 'GET',
        url: 'https://crm.example.com/ping',
        allowHosts: ['api.other.com'],
        denyHosts: ['old.example.com'],
      },
    })
    await world.agentry.toolDefinitions.test(context, tool.id, {})
    expect(world.http.requests[0]?.hosts).toEqual({
      allow: ['*.example.com', 'api.other.com'],
      deny: ['evil.example.com', 'old.example.com'],
    })
  })
})

describe('HTTP tools: retries only for idempotent methods', () => {
  it('retries a GET on 503 and on UNAVAILABLE, then answers', async () => {
    const { test } = await setup()
    world.http.reply(
      text(503, 'busy'),
      new CoreError('UNAVAILABLE', 'connection refused'),
      json(200, { id: '1' }),
    )
    expect(await test({ id: '1' })).toMatchObject({ ok: true, result: { id: '1' } })
    expect(world.http.requests).toHaveLength(3)
  })

  it('retries a 429 and a timeout, but never more than the tool allows', async () => {
    const { test } = await setup()
    world.http
      .reply(new CoreError('TIMEOUT', 'crm.example.com did not answer in time'))
      .always(text(429, 'slow down'))
    const result = await test({ id: '1' })
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'UPSTREAM_ERROR', message: expect.stringContaining('HTTP 429') },
    })
    expect(world.http.requests).toHaveLength(3)
  })

  it('does not retry a POST that got a 503, nor a GET that got a 404', async () => {
    const { test } = await setup({ method: 'POST' })
    world.http.always(text(503, 'busy'))
    expect(await test({ id: '1' })).toMatchObject({ ok: false, error: { code: 'UPSTREAM_ERROR' } })
    expect(world.http.requests).toHaveLength(1)
    world = createToolWorld()
    const get = await setup()
    world.http.always(json(404, { error: 'no such customer' }))
    const result = await get.test({ id: '1' })
    expect(result).toMatchObject({ ok: false, status: 'error' })
    expect(!result.ok && result.error.message).toBe(
      'Tool "crm.update" failed: The server answered HTTP 404: {"error":"no such customer"}',
    )
    expect(world.http.requests).toHaveLength(1)
  })

  it('does not retry a refusal of the outbound guard', async () => {
    const { test } = await setup()
    world.http.always(new CoreError('FORBIDDEN', 'crm.example.com resolves to a private address'))
    expect(await test({ id: '1' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(world.http.requests).toHaveLength(1)
  })
})

describe('HTTP tools: results, output schema and secrets', () => {
  it('checks the output schema: a mismatch is an error for the model', async () => {
    const { test } = await setup({}, { outputSchema: { type: 'object', required: ['name'] } })
    world.http.always(json(200, { nom: 'Ann' }))
    expect(await test({ id: '1' })).toMatchObject({
      ok: false,
      error: { code: 'UPSTREAM_ERROR', message: expect.stringContaining('does not match its output schema') },
    })
  })

  it('keeps the token out of results, errors, audit rows and logs, and redacts configured fields', async () => {
    const { test, context } = await setup({ method: 'POST' }, { redact: ['password', 'echo.note'] })
    world.http.reply((request) =>
      json(200, { echo: { note: 'saved', auth: request.headers?.authorization } }),
    )
    world.http.reply((request) => text(500, `failed for ${request.headers?.authorization}`))
    const ok = await test({ id: '1', password: 'hunter2', note: 'n' })
    expect(ok).toMatchObject({ ok: true, result: { echo: { note: 'saved', auth: 'Bearer [REDACTED]' } } })
    const failed = await test({ id: '2', password: 'hunter2' })
    expect(!failed.ok && failed.error.message).toContain('failed for Bearer [REDACTED]')
    const audit = JSON.stringify((await world.agentry.toolDefinitions.listCalls(context)).items)
    expect(audit).not.toContain(TOKEN)
    expect(audit).not.toContain('hunter2')
    expect(audit).toContain('"note":"[REDACTED]"')
    const logs = JSON.stringify(world.logs)
    expect(logs).toContain('crm.update')
    expect(logs).not.toContain(TOKEN)
    expect(logs).not.toContain('hunter2')
  })
})
