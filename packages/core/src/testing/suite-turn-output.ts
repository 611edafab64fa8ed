import { tenantScope } from '@agentry/contracts'
import { expect } from 'vitest'
import { REPAIR_INSTRUCTION } from '../orchestrator/structured-output.js'
import { scripted } from './orchestrator-harness.js'
import type { SuiteSetup, SuiteTest } from './orchestrator-suite.js'

const CITY_OUTPUT = {
  type: 'json' as const,
  name: 'city',
  schema: {
    type: 'object',
    properties: { city: { type: 'string' }, population: { type: 'integer' } },
    required: ['city'],
    additionalProperties: false,
  },
}

export function describeTurnOutput(test: SuiteTest, setup: SuiteSetup): void {
  test('returns structured output that matches the schema', async () => {
    const h = await setup()
    const agentId = await h.createAgent({
      output: CITY_OUTPUT,
      providerOptions: scripted([{ when: { always: true }, json: { city: 'Paris', population: 2100000 } }]),
    })
    const run = await h.run({ agentId, message: 'capital of France?' })
    expect(run.result?.outcome).toEqual({ type: 'replied' })
    expect(run.result?.output).toEqual({ city: 'Paris', population: 2100000 })
    expect(h.model.calls).toBe(1)
    expect(h.model.requests[0]?.responseFormat).toEqual({
      type: 'json',
      name: 'city',
      schema: CITY_OUTPUT.schema,
    })
  })

  test('repairs invalid structured output with one more call that states the errors', async () => {
    const h = await setup()
    const agentId = await h.createAgent({
      output: CITY_OUTPUT,
      providerOptions: scripted([
        { when: { contains: REPAIR_INSTRUCTION }, json: { city: 'Paris' } },
        { when: { always: true }, json: { town: 'Paris' } },
      ]),
    })
    const run = await h.run({ agentId, message: 'capital of France?', stream: true })
    expect(run.result?.outcome).toEqual({ type: 'replied' })
    expect(run.result?.output).toEqual({ city: 'Paris' })
    expect(h.model.calls).toBe(2)
    const repair = h.model.requests[1]!
    expect(repair.messages.at(-2)).toEqual({ role: 'assistant', content: '{"town":"Paris"}' })
    expect(repair.messages.at(-1)?.content).toContain("must have required property 'city'")
    // Invalid JSON is never streamed to the caller: one delta with the valid reply.
    const deltas = run.events.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : []))
    expect(deltas).toEqual(['{"city":"Paris"}'])
    expect((await h.usageOf(run.result!.turnId)).filter((event) => event.kind === 'llm.tokens')).toHaveLength(
      2,
    )
  })

  test('ends with output-invalid and the errors when the repair is invalid too', async () => {
    const h = await setup()
    const agentId = await h.createAgent({
      output: CITY_OUTPUT,
      providerOptions: scripted([{ when: { always: true }, reply: 'Paris, I think.' }]),
    })
    const run = await h.run({ agentId, message: 'capital of France?' })
    expect(run.error).toBeNull()
    const outcome = run.result?.outcome
    expect(outcome?.type).toBe('output-invalid')
    expect(outcome?.type === 'output-invalid' && outcome.errors[0]).toContain('not JSON')
    expect(run.result?.output).toBeNull()
    expect(h.model.calls).toBe(2)
  })

  test('reports a refusal and a reply cut at maxOutputTokens as outcomes, not errors', async () => {
    const h = await setup()
    const agentId = await h.createAgent({
      model: { maxOutputTokens: 5 },
      providerOptions: scripted([
        { when: { contains: 'secret' }, refuse: 'I cannot share that.' },
        { when: { always: true }, reply: 'This answer is much longer than five tokens, so it gets cut.' },
      ]),
    })
    const refused = await h.run({ agentId, message: 'tell me the secret' })
    expect(refused.result?.outcome).toEqual({ type: 'refused', reason: 'I cannot share that.' })
    expect(refused.result?.message.content).toBe('I cannot share that.')
    const cut = await h.run({ agentId, message: 'talk' })
    expect(cut.result?.outcome).toEqual({ type: 'truncated' })
    expect(cut.result?.warnings).toEqual(['The reply was cut at model.maxOutputTokens.'])
    expect(h.model.requests[1]?.maxOutputTokens).toBe(5)
  })

  test('replays a turn for a repeated idempotency key without calling the model again', async () => {
    const h = await setup()
    const agentId = await h.createAgent({
      providerOptions: scripted([{ when: { always: true }, reply: 'Stored answer.' }]),
    })
    const first = await h.run({ agentId, message: 'hi', idempotencyKey: 'key-1' })
    const retry = await h.run({ agentId, message: 'hi', idempotencyKey: 'key-1' })
    expect(retry.result).toEqual(first.result)
    expect(h.model.calls).toBe(1)
    expect(retry.events.map((event) => event.type)).toEqual(['turn-start', 'text-delta', 'usage', 'turn-end'])
    expect(await h.usageOf(first.result!.turnId)).toHaveLength(1)
    const messages = await h.recorded.stores.sessions.listMessages(
      tenantScope(h.companyId),
      first.result!.sessionId,
    )
    expect(messages.items).toHaveLength(2)
    const other = await h.run({ agentId, message: 'hi', idempotencyKey: 'key-2' })
    expect(other.result?.turnId).not.toBe(first.result?.turnId)
    expect(h.model.calls).toBe(2)
  })

  test('runs two concurrent retries with one idempotency key once', async () => {
    const h = await setup()
    const agentId = await h.createAgent({
      providerOptions: scripted([{ when: { always: true }, reply: 'Once.' }]),
    })
    h.model.delayMs = 20
    const [a, b] = await Promise.all([
      h.run({ agentId, message: 'hi', idempotencyKey: 'same' }),
      h.run({ agentId, message: 'hi', idempotencyKey: 'same' }),
    ])
    expect(a.result).toEqual(b.result)
    expect(h.model.calls).toBe(1)
  })
}
