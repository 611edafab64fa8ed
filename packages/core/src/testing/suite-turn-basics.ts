import type { AgentId, Permission, SessionId } from '@agentry/contracts'
import { tenantScope } from '@agentry/contracts'
import { expect } from 'vitest'
import { scripted } from './orchestrator-harness.js'
import type { SuiteSetup, SuiteTest } from './orchestrator-suite.js'

const HELLO = scripted([
  { when: { contains: 'hello' }, reply: 'Hi there!' },
  { when: { always: true }, reply: 'You said: {{input}}' },
])

export function describeTurnBasics(test: SuiteTest, setup: SuiteSetup): void {
  test('answers a plain message and stores session, turn, messages and usage', async () => {
    const h = await setup()
    const agentId = await h.createAgent({
      systemPrompt: 'You are terse.',
      rules: ['Be kind.', 'No emojis.'],
      providerOptions: HELLO,
    })
    const run = await h.run({ agentId, message: 'Hello!' })
    expect(run.error).toBeNull()
    expect(run.events.map((event) => event.type)).toEqual(['turn-start', 'text-delta', 'usage', 'turn-end'])
    const result = run.result!
    expect(result.message).toEqual({ role: 'assistant', content: 'Hi there!' })
    expect(result.outcome).toEqual({ type: 'replied' })
    expect(result.agentVersion).toBe(1)
    expect(result.usage.modelCalls).toBe(1)
    expect(result.usage.inputTokens).toBeGreaterThan(0)
    const request = h.model.requests[0]!
    expect(request.system).toBe('You are terse.\n\nRules:\n1. Be kind.\n2. No emojis.')
    expect(request.messages).toEqual([{ role: 'user', content: 'Hello!' }])
    expect(request.tools).toBeUndefined()
    const scope = tenantScope(h.companyId)
    const turn = await h.recorded.stores.turns.get(scope, result.turnId)
    expect(turn).toMatchObject({ status: 'completed', sessionId: result.sessionId, result, error: null })
    const messages = await h.recorded.stores.sessions.listMessages(scope, result.sessionId)
    expect(messages.items.map((message) => [message.role, message.content])).toEqual([
      ['user', 'Hello!'],
      ['assistant', 'Hi there!'],
    ])
    expect(
      messages.items.every((message) => message.tokenCount > 0 && message.turnId === result.turnId),
    ).toBe(true)
    const usage = await h.usageOf(result.turnId)
    expect(usage).toHaveLength(1)
    expect(usage[0]).toMatchObject({
      kind: 'llm.tokens',
      agentId,
      sessionId: result.sessionId,
      apiKeyId: h.context.actor.type === 'api-key' ? h.context.actor.apiKeyId : null,
      provider: 'local',
      model: 'scripted',
      inputTokens: result.usage.inputTokens,
      outputTokens: result.usage.outputTokens,
    })
  })

  test('a plain turn makes one load and one commit, in a new and in an existing session', async () => {
    const h = await setup()
    const agentId = await h.createAgent({ providerOptions: HELLO })
    h.recorded.reset()
    const first = await h.run({ agentId, message: 'hello' })
    expect(h.recorded.calls).toEqual(['turns.load', 'turns.commit'])
    h.recorded.reset()
    await h.run({ agentId, sessionId: first.result!.sessionId, message: 'hello again' })
    expect(h.recorded.calls).toEqual(['turns.load', 'turns.commit'])
  })

  test('streams text deltas that add up to the reply', async () => {
    const h = await setup()
    const reply = 'One two three four five six seven eight nine ten.'
    const agentId = await h.createAgent({ providerOptions: scripted([{ when: { always: true }, reply }]) })
    const run = await h.run({ agentId, message: 'count', stream: true })
    const deltas = run.events.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : []))
    expect(deltas.length).toBeGreaterThan(1)
    expect(deltas.join('')).toBe(reply)
    expect(run.result?.message.content).toBe(reply)
  })

  test('continues a session: the model sees the earlier messages', async () => {
    const h = await setup()
    const agentId = await h.createAgent({ providerOptions: HELLO })
    const first = await h.run({ agentId, message: 'hello' })
    const second = await h.run({ agentId, sessionId: first.result!.sessionId, message: 'what now?' })
    expect(second.result?.sessionId).toBe(first.result?.sessionId)
    expect(h.model.requests[1]?.messages).toEqual([
      { role: 'user', content: 'hello' },
      { role: 'assistant', content: 'Hi there!' },
      { role: 'user', content: 'what now?' },
    ])
    const session = await h.recorded.stores.sessions.get(tenantScope(h.companyId), first.result!.sessionId)
    expect(session?.messageCount).toBe(4)
  })

  test('windows the history by message count and by token budget', async () => {
    const h = await setup()
    const long = Array.from({ length: 60 }, () => 'word').join(' ')
    const rules = scripted([
      { when: { contains: 'long' }, reply: long },
      { when: { always: true }, reply: 'ok' },
    ])
    const byCount = await h.createAgent({ memory: { maxMessages: 2 }, providerOptions: rules })
    let sessionId: SessionId | undefined
    for (const message of ['one', 'two', 'three']) {
      const run = await h.run({ agentId: byCount, message, ...(sessionId ? { sessionId } : {}) })
      sessionId = run.result!.sessionId
    }
    expect(h.model.requests.at(-1)?.messages.map((message) => message.content)).toEqual([
      'two',
      'ok',
      'three',
    ])
    const byTokens = await h.createAgent({ memory: { maxTokens: 100 }, providerOptions: rules })
    const first = await h.run({ agentId: byTokens, message: 'long one' })
    const session = first.result!.sessionId
    await h.run({ agentId: byTokens, sessionId: session, message: 'long two' })
    await h.run({ agentId: byTokens, sessionId: session, message: 'short' })
    // 60 + 60 tokens of replies do not fit 100: the oldest exchange is dropped.
    expect(h.model.requests.at(-1)?.messages.map((message) => message.content)).toEqual([
      'long two',
      long,
      'short',
    ])
  })

  test('refuses before the turn starts: missing or disabled agent, unknown session, permission, input', async () => {
    const h = await setup()
    const agentId = await h.createAgent({ guardrails: { maxInputChars: 20 }, providerOptions: HELLO })
    const other = await h.createAgent({ providerOptions: HELLO })
    const session = (await h.run({ agentId, message: 'hello' })).result!.sessionId
    const calls = h.model.calls
    const viewer = await h.agentry.apiKeys.create(h.context, {
      name: 'viewer',
      permissions: ['agents:view'] as Permission[],
    })
    const viewerContext = { actor: await h.agentry.apiKeys.authenticate(viewer.key) }
    const cases = [
      {
        request: { agentId: '0190a0a0-0000-7000-8000-000000000000' as AgentId, message: 'hello' },
        code: 'NOT_FOUND',
      },
      {
        request: {
          agentId,
          sessionId: '0190a0a0-0000-7000-8000-000000000001' as SessionId,
          message: 'hello',
        },
        code: 'NOT_FOUND',
      },
      { request: { agentId: other, sessionId: session, message: 'hello' }, code: 'NOT_FOUND' },
      { request: { agentId, message: '   ' }, code: 'INVALID_INPUT' },
      {
        request: { agentId, message: 'x'.repeat(21) },
        code: 'INVALID_INPUT',
        text: 'guardrails.maxInputChars',
      },
      {
        request: { agentId, message: 'hello', context: viewerContext },
        code: 'FORBIDDEN',
        text: 'chat:send',
      },
    ] as const
    for (const { request, code, ...rest } of cases) {
      const run = await h.run(request)
      expect(run.events, JSON.stringify(request)).toHaveLength(1)
      expect(run.error?.code, JSON.stringify(request)).toBe(code)
      if ('text' in rest) expect(run.error?.message).toContain(rest.text)
    }
    await h.agentry.agents.setStatus(h.context, agentId, 'disabled')
    const disabled = await h.run({ agentId, message: 'hello' })
    expect(disabled.error?.code).toBe('CONFLICT')
    expect(disabled.error?.message).toContain('enable it')
    expect(h.model.calls).toBe(calls)
  })

  test('keeps companies apart: another company cannot use a session or an agent', async () => {
    const a = await setup()
    const b = await setup()
    const agentA = await a.createAgent({ providerOptions: HELLO })
    const agentB = await b.createAgent({ providerOptions: HELLO })
    const sessionA = (await a.run({ agentId: agentA, message: 'hello' })).result!.sessionId
    expect((await b.run({ agentId: agentB, sessionId: sessionA, message: 'hello' })).error?.code).toBe(
      'NOT_FOUND',
    )
    expect((await b.run({ agentId: agentA, message: 'hello' })).error?.code).toBe('NOT_FOUND')
    expect(b.model.calls).toBe(0)
  })
}
