import type { ToolId } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import { afterEach, describe, expect, it } from 'vitest'
import type { ToolInput } from '../src/index.js'
import { createToolWorld, type ToolWorld } from './tool-world.js'

const lookup: ToolInput = {
  name: 'crm.lookup',
  kind: 'http',
  description: 'Finds a customer by id.',
  inputSchema: {
    type: 'object',
    properties: { id: { type: 'string' }, verbose: { type: 'boolean' } },
    required: ['id'],
  },
  http: { method: 'GET', url: 'https://crm.example.com/customers/{id}', query: { verbose: '{verbose}' } },
}

async function rejection(promise: Promise<unknown>): Promise<CoreError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  )
  if (!CoreError.isInstance(error)) throw new Error(`expected a CoreError, got ${String(error)}`)
  return error
}

let world: ToolWorld
afterEach(() => world?.close())

describe('ToolService: definitions', () => {
  it('creates a tool with defaults, reads, lists, updates and deletes it, auditing each change', async () => {
    world = createToolWorld()
    const { context, companyId } = await world.company()
    const tool = await world.agentry.toolDefinitions.create(context, lookup)
    expect(tool).toMatchObject({
      name: 'crm.lookup',
      kind: 'http',
      companyId,
      timeoutMs: 10_000,
      retry: { attempts: 2, backoffMs: 200 },
      rateLimitPerMinute: null,
      budget: { perDay: null, perMonth: null },
      redact: [],
      outputSchema: null,
      workflow: null,
      builtin: null,
    })
    expect(await world.agentry.toolDefinitions.get(context, tool.id)).toEqual(tool)
    const updated = await world.agentry.toolDefinitions.update(context, tool.id, {
      description: 'Finds a customer.',
      budget: { perDay: 5 },
    })
    expect(updated).toMatchObject({ description: 'Finds a customer.', budget: { perDay: 5, perMonth: null } })
    expect(updated.http).toEqual(tool.http)
    expect((await world.agentry.toolDefinitions.list(context)).items.map((item) => item.name)).toEqual([
      'crm.lookup',
    ])
    await world.agentry.toolDefinitions.delete(context, tool.id)
    expect((await rejection(world.agentry.toolDefinitions.get(context, tool.id))).code).toBe('NOT_FOUND')
    const audit = await world.stores.audit.list({ type: 'tenant', companyId }, {}, { limit: 50 })
    expect(audit.items.map((entry) => entry.action).filter((action) => action.startsWith('tool.'))).toEqual([
      'tool.delete',
      'tool.update',
      'tool.create',
    ])
  })

  it('refuses an input schema ajv cannot compile, with ajv message and the field path', async () => {
    world = createToolWorld()
    const { context } = await world.company()
    const error = await rejection(
      world.agentry.toolDefinitions.create(context, {
        ...lookup,
        inputSchema: { type: 'object', properties: { id: { type: 'text' } } },
      }),
    )
    expect(error.code).toBe('INVALID_INPUT')
    expect(error.message).toContain('inputSchema: is not a valid JSON Schema')
    expect(error.message).toContain('/properties/id/type')
    expect(error.details?.issues).toContainEqual(expect.objectContaining({ path: 'inputSchema' }))
  })

  it.each([
    [{ inputSchema: { type: 'string' } }, 'inputSchema.type'],
    [{ http: { method: 'GET', url: 'https://crm.example.com/{customer}' } }, 'placeholder {customer}'],
    [{ http: { method: 'GET', url: 'https://{host}.example.com/x' } }, 'not in the host'],
    [{ http: { method: 'GET', url: 'ftp://crm.example.com/' } }, 'absolute http'],
    [{ http: { method: 'GET', url: 'https://user:pw@crm.example.com/' } }, 'must not carry credentials'],
    [{ http: { method: 'GET', url: 'http://127.0.0.1:8080/admin' } }, '127.0.0.1 is a loopback address'],
    [{ http: { method: 'GET', url: 'http://0x7f.1/admin' } }, '127.0.0.1 is a loopback address'],
    [{ http: { method: 'GET', url: 'http://10.1.2.3/' } }, 'private address'],
    [
      { http: { method: 'GET', url: 'https://x.example.com/', headers: { Host: 'a' } } },
      'set by the transport',
    ],
    [
      { http: { method: 'GET', url: 'https://x.example.com/', headers: { Authorization: 'Bearer abc' } } },
      'use auth with a stored secret',
    ],
    [
      { http: { method: 'GET', url: 'https://x.example.com/', auth: { type: 'header', secretName: 'k' } } },
      'headerName',
    ],
    [{ http: null }, 'is required for kind "http"'],
    [{ workflow: { jobKind: 'workflow.x' } }, 'only applies to tools of kind "workflow"'],
    [{ kind: 'workflow', http: null, workflow: { jobKind: 'kb.index' } }, 'start with "workflow."'],
    [{ kind: 'builtin', http: null, builtin: { name: 'no.such' } }, 'no builtin tool "no.such"'],
    [{ redact: ['a[0]'] }, 'field paths look like'],
    [{ name: 'NoNamespace' }, 'namespace.name'],
  ] as [Partial<ToolInput>, string][])('refuses %j (%s)', async (change, message) => {
    world = createToolWorld()
    const { context } = await world.company()
    const error = await rejection(world.agentry.toolDefinitions.create(context, { ...lookup, ...change }))
    expect(error.code).toBe('INVALID_INPUT')
    expect(error.message).toContain(message)
  })

  it('refuses a name taken by a builtin, and a duplicate name in the company', async () => {
    world = createToolWorld()
    const { context } = await world.company()
    expect(
      (await rejection(world.agentry.toolDefinitions.create(context, { ...lookup, name: 'math.evaluate' })))
        .code,
    ).toBe('CONFLICT')
    await world.agentry.toolDefinitions.create(context, lookup)
    expect((await rejection(world.agentry.toolDefinitions.create(context, lookup))).code).toBe('CONFLICT')
  })

  it('needs tools:manage to change and tools:view to read', async () => {
    world = createToolWorld()
    const { context } = await world.company()
    const tool = await world.agentry.toolDefinitions.create(context, lookup)
    const key = await world.agentry.apiKeys.create(context, { name: 'viewer', permissions: ['tools:view'] })
    const viewer = { actor: await world.agentry.apiKeys.authenticate(key.key) }
    expect((await world.agentry.toolDefinitions.get(viewer, tool.id)).name).toBe('crm.lookup')
    expect(
      (await rejection(world.agentry.toolDefinitions.create(viewer, { ...lookup, name: 'crm.other' }))).code,
    ).toBe('FORBIDDEN')
    expect((await rejection(world.agentry.toolDefinitions.test(viewer, tool.id, { id: '1' }))).code).toBe(
      'FORBIDDEN',
    )
  })

  it("never shows or runs another company's tool", async () => {
    world = createToolWorld()
    const acme = await world.company('Acme')
    const globex = await world.company('Globex')
    const tool = await world.agentry.toolDefinitions.create(acme.context, lookup)
    const tools = world.agentry.toolDefinitions
    for (const attempt of [
      tools.get(globex.context, tool.id),
      tools.update(globex.context, tool.id, { description: 'stolen' }),
      tools.delete(globex.context, tool.id),
      tools.test(globex.context, tool.id, { id: '1' }),
    ]) {
      expect((await rejection(attempt)).code).toBe('NOT_FOUND')
    }
    expect((await tools.list(globex.context)).items).toEqual([])
    expect((await tools.get(acme.context, tool.id)).description).toBe('Finds a customer by id.')
    expect(world.http.requests).toEqual([])
  })
})

describe('ToolService: dry run', () => {
  it('runs the tool for real, audits it as a test call and bills it', async () => {
    world = createToolWorld()
    const { context, companyId } = await world.company()
    const tool = await world.agentry.toolDefinitions.create(context, lookup)
    world.http.always({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: new TextEncoder().encode('{"name":"Ann"}'),
      truncated: false,
      url: '',
      redirects: 0,
    })
    const result = await world.agentry.toolDefinitions.test(context, tool.id, { id: 'c/42', verbose: true })
    expect(result).toMatchObject({ ok: true, result: { name: 'Ann' }, status: 'ok' })
    expect(world.http.requests[0]).toMatchObject({
      method: 'GET',
      url: 'https://crm.example.com/customers/c%2F42?verbose=true',
      timeoutMs: 10_000,
    })
    const calls = await world.agentry.toolDefinitions.listCalls(context)
    expect(calls.items).toEqual([
      expect.objectContaining({
        toolName: 'crm.lookup',
        toolId: tool.id,
        status: 'ok',
        agentId: null,
        turnId: null,
      }),
    ])
    const usage = await world.stores.usage.list({ type: 'tenant', companyId }, { kind: 'tool.call' })
    expect(usage.items).toEqual([expect.objectContaining({ toolName: 'crm.lookup', quantity: 1 })])
  })

  it('answers ok: false with code and message for bad arguments, and sends nothing', async () => {
    world = createToolWorld()
    const { context } = await world.company()
    const tool = await world.agentry.toolDefinitions.create(context, lookup)
    const result = await world.agentry.toolDefinitions.test(context, tool.id, { id: 42 })
    expect(result).toMatchObject({
      ok: false,
      status: 'invalid-arguments',
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('/id must be string') },
    })
    expect(world.http.requests).toEqual([])
    expect((await rejection(world.agentry.toolDefinitions.test(context, 'nope' as ToolId, {}))).code).toBe(
      'NOT_FOUND',
    )
  })
})
