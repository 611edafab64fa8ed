import { tenantScope } from '@agentry/contracts'
import { expect } from 'vitest'
import { scripted } from './orchestrator-harness.js'
import type { SuiteSetup, SuiteTest } from './orchestrator-suite.js'

const ADD_RULES = scripted([
  {
    when: { contains: 'add' },
    toolCalls: [{ name: 'math.add', arguments: { a: 20, b: 22 } }],
    afterTools: 'It is {{tool.math.add}}.',
  },
  { when: { always: true }, reply: 'Echo: {{input}}' },
])

export function describeTurnGuarantees(test: SuiteTest, setup: SuiteSetup): void {
  test('serializes two concurrent turns on one session: the second sees the first', async () => {
    const h = await setup()
    const agentId = await h.createAgent({ providerOptions: ADD_RULES })
    const sessionId = (await h.run({ agentId, message: 'start' })).result!.sessionId
    h.model.delayMs = 20
    const [first, second] = await Promise.all([
      h.run({ agentId, sessionId, message: 'first' }),
      h.run({ agentId, sessionId, message: 'second' }),
    ])
    expect(first.error).toBeNull()
    expect(second.error).toBeNull()
    expect(h.model.requests[2]?.messages.map((message) => message.content)).toEqual([
      'start',
      'Echo: start',
      'first',
      'Echo: first',
      'second',
    ])
    const messages = await h.recorded.stores.sessions.listMessages(tenantScope(h.companyId), sessionId)
    expect(messages.items.map((message) => message.content)).toEqual([
      'start',
      'Echo: start',
      'first',
      'Echo: first',
      'second',
      'Echo: second',
    ])
  })

  test('cancellation reaches the model, ends with CANCELLED and keeps the usage of finished calls', async () => {
    const h = await setup()
    const agentId = await h.createAgent({ tools: { allow: ['math.add'] }, providerOptions: ADD_RULES })
    h.model.holdOnCall = 2
    const controller = new AbortController()
    h.model.onHold = () => controller.abort()
    const events = []
    for await (const event of h.agentry.orchestrator.run({
      context: h.context,
      agentId,
      message: 'add',
      signal: controller.signal,
    })) {
      events.push(event)
    }
    const last = events.at(-1)
    expect(last?.type === 'error' && last.error.code).toBe('CANCELLED')
    expect(h.model.signals[1]?.aborted).toBe(true)
    const start = events[0]
    if (start?.type !== 'turn-start') throw new Error('expected turn-start first')
    const turn = await h.recorded.stores.turns.get(tenantScope(h.companyId), start.turnId)
    expect(turn).toMatchObject({ status: 'failed', error: { code: 'CANCELLED' }, result: null })
    expect(turn?.usage).toMatchObject({ modelCalls: 1, toolCalls: 1 })
    const usage = await h.usageOf(start.turnId)
    expect(usage.map((event) => event.kind).sort()).toEqual(['llm.tokens', 'tool.call'])
    const messages = await h.recorded.stores.sessions.listMessages(tenantScope(h.companyId), start.sessionId)
    expect(messages.items.map((message) => [message.role, message.content])).toEqual([['user', 'add']])
  })

  test('bills each model call exactly once, also when the turn fails after its first call', async () => {
    const h = await setup()
    const agentId = await h.createAgent({ tools: { allow: ['math.add'] }, providerOptions: ADD_RULES })
    h.model.failOnCall = 2
    const failed = await h.run({ agentId, message: 'add', idempotencyKey: 'retry-me' })
    expect(failed.error?.code).toBe('UPSTREAM_ERROR')
    const start = failed.events[0]
    if (start?.type !== 'turn-start') throw new Error('expected turn-start first')
    const scope = tenantScope(h.companyId)
    const stored = await h.recorded.stores.turns.get(scope, start.turnId)
    expect(stored).toMatchObject({
      status: 'failed',
      idempotencyKey: null,
      error: { code: 'UPSTREAM_ERROR' },
    })
    const failedUsage = await h.usageOf(start.turnId)
    expect(failedUsage.map((event) => event.kind).sort()).toEqual(['llm.tokens', 'tool.call'])
    // A retry with the same key runs again (failed turns do not keep their key).
    h.model.failOnCall = null
    const retried = await h.run({
      agentId,
      sessionId: start.sessionId,
      message: 'add',
      idempotencyKey: 'retry-me',
    })
    expect(retried.result?.message.content).toBe('It is 42.')
    const all = (await h.recorded.stores.usage.list(scope, {}, { limit: 200 })).items
    const llm = all.filter((event) => event.kind === 'llm.tokens')
    expect(llm).toHaveLength(h.model.returned)
    expect(h.model.returned).toBe(3)
    expect(new Set(all.map((event) => event.id)).size).toBe(all.length)
    expect((await h.usageOf(retried.result!.turnId)).map((event) => event.kind).sort()).toEqual([
      'llm.tokens',
      'llm.tokens',
      'tool.call',
    ])
  })

  test('usage of finished calls is stored at once, even when the failed turn cannot be stored', async () => {
    const h = await setup()
    const agentId = await h.createAgent({ tools: { allow: ['math.add'] }, providerOptions: ADD_RULES })
    h.model.failOnCall = 2
    h.recorded.failing.add('turns.commit')
    const run = await h.run({ agentId, message: 'add' })
    // The original error is reported, not the failure to store the failed turn.
    expect(run.error?.code).toBe('UPSTREAM_ERROR')
    const start = run.events[0]
    if (start?.type !== 'turn-start') throw new Error('expected turn-start first')
    expect(await h.recorded.stores.turns.get(tenantScope(h.companyId), start.turnId)).toBeNull()
    expect((await h.usageOf(start.turnId)).map((event) => event.kind).sort()).toEqual([
      'llm.tokens',
      'tool.call',
    ])
  })

  test('a caller that stops reading cancels the turn, stores it as failed and frees the session', async () => {
    const h = await setup()
    const agentId = await h.createAgent({ providerOptions: ADD_RULES })
    const sessionId = (await h.run({ agentId, message: 'start' })).result!.sessionId
    let turnId: string | undefined
    for await (const event of h.agentry.orchestrator.run({
      context: h.context,
      agentId,
      sessionId,
      message: 'bye',
    })) {
      if (event.type === 'turn-start') turnId = event.turnId
      break
    }
    const scope = tenantScope(h.companyId)
    const stored = await h.recorded.stores.turns.get(scope, turnId as never)
    expect(stored).toMatchObject({ status: 'failed', error: { code: 'CANCELLED' } })
    const next = await h.run({ agentId, sessionId, message: 'again' })
    expect(next.result?.message.content).toBe('Echo: again')
  })

  test('a model failure on the first call stores a failed turn with the user message and no usage', async () => {
    const h = await setup()
    const agentId = await h.createAgent({ providerOptions: ADD_RULES })
    h.model.failOnCall = 1
    const run = await h.run({ agentId, message: 'hello' })
    expect(run.events.map((event) => event.type)).toEqual(['turn-start', 'error'])
    const start = run.events[0]
    if (start?.type !== 'turn-start') throw new Error('expected turn-start first')
    const scope = tenantScope(h.companyId)
    expect((await h.recorded.stores.turns.get(scope, start.turnId))?.status).toBe('failed')
    expect(await h.usageOf(start.turnId)).toEqual([])
    const session = await h.recorded.stores.sessions.get(scope, start.sessionId)
    expect(session?.messageCount).toBe(1)
  })
}
