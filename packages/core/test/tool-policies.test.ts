import type { ToolId } from '@agentry/contracts'
import { afterEach, describe, expect, it } from 'vitest'
import type { RequestContext } from '../src/index.js'
import { scripted } from '../src/testing/index.js'
import { createToolWorld, json, type ToolWorld } from './tool-world.js'

let world: ToolWorld
afterEach(() => world?.close())

async function toolWith(context: RequestContext, fields: Record<string, unknown>): Promise<ToolId> {
  const tool = await world.agentry.toolDefinitions.create(context, {
    name: 'crm.ping',
    kind: 'http',
    description: 'Pings the CRM.',
    http: { method: 'GET', url: 'https://crm.example.com/ping' },
    ...fields,
  })
  world.http.always(json(200, { pong: true }))
  return tool.id
}

describe('call budgets', () => {
  it('refuses the call past the daily budget as denied, and allows it again the next UTC day', async () => {
    world = createToolWorld()
    const { context } = await world.company()
    const id = await toolWith(context, { budget: { perDay: 2 } })
    const tools = world.agentry.toolDefinitions
    expect((await tools.test(context, id, {})).ok).toBe(true)
    expect((await tools.test(context, id, {})).ok).toBe(true)
    const refused = await tools.test(context, id, {})
    expect(refused).toMatchObject({
      ok: false,
      status: 'denied',
      error: { code: 'QUOTA_EXCEEDED', message: expect.stringContaining('budget of 2 calls per day') },
    })
    expect(world.http.requests).toHaveLength(2)
    // Denied calls do not use the budget up further; the next day starts fresh.
    world.clock.advance(24 * 60 * 60 * 1000)
    expect((await tools.test(context, id, {})).ok).toBe(true)
  })

  it('counts the monthly budget across days, per company', async () => {
    world = createToolWorld()
    const acme = await world.company('Acme')
    const globex = await world.company('Globex')
    const acmeTool = await toolWith(acme.context, { budget: { perMonth: 1 } })
    const globexTool = await toolWith(globex.context, { budget: { perMonth: 1 } })
    const tools = world.agentry.toolDefinitions
    expect((await tools.test(acme.context, acmeTool, {})).ok).toBe(true)
    world.clock.advance(2 * 24 * 60 * 60 * 1000)
    expect(await tools.test(acme.context, acmeTool, {})).toMatchObject({ status: 'denied' })
    expect((await tools.test(globex.context, globexTool, {})).ok).toBe(true)
  })

  it('returns the refusal to the model inside a turn, which answers without the tool', async () => {
    world = createToolWorld()
    const { context } = await world.company()
    await toolWith(context, { budget: { perDay: 0 } })
    const agentId = await world.agent(context, {
      tools: { allow: ['crm.ping'] },
      providerOptions: scripted([
        {
          when: { contains: 'ping' },
          toolCalls: [{ name: 'crm.ping' }],
          afterTools: 'Tool said: {{tool.crm.ping}}',
        },
      ]),
    })
    const result = await world.chat(context, agentId, 'ping the crm')
    expect(result.toolCalls).toEqual([
      expect.objectContaining({
        name: 'crm.ping',
        status: 'denied',
        error: expect.objectContaining({ code: 'QUOTA_EXCEEDED' }),
      }),
    ])
    expect(result.message.content).toContain('budget of 0 calls per day')
    expect(result.usage.toolCalls).toBe(0)
    expect(world.http.requests).toEqual([])
  })
})

describe('rate limit per minute', () => {
  it('refuses calls over the limit until the bucket refills', async () => {
    world = createToolWorld()
    const { context } = await world.company()
    const id = await toolWith(context, { rateLimitPerMinute: 2 })
    const tools = world.agentry.toolDefinitions
    expect((await tools.test(context, id, {})).ok).toBe(true)
    expect((await tools.test(context, id, {})).ok).toBe(true)
    expect(await tools.test(context, id, {})).toMatchObject({
      ok: false,
      status: 'denied',
      error: {
        code: 'RATE_LIMITED',
        message: expect.stringMatching(/limited to 2 calls per minute; try again in 30 s/),
      },
    })
    world.clock.advance(30_000)
    expect((await tools.test(context, id, {})).ok).toBe(true)
    expect(world.http.requests).toHaveLength(3)
  })

  it('does not take a token for calls with invalid arguments or over budget', async () => {
    world = createToolWorld()
    const { context } = await world.company()
    const id = await toolWith(context, {
      rateLimitPerMinute: 1,
      inputSchema: { type: 'object', properties: { n: { type: 'integer' } } },
    })
    const tools = world.agentry.toolDefinitions
    expect(await tools.test(context, id, { n: 'x' })).toMatchObject({ status: 'invalid-arguments' })
    expect((await tools.test(context, id, { n: 1 })).ok).toBe(true)
  })
})
