import type { ChatRequest, ChatStreamPart } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { createScriptedChatModel, createTokenizer } from './create-local.js'
import type { ScriptedRulesInput } from './scripted-rules.js'

const tokenizer = createTokenizer()
const model = createScriptedChatModel({}, { tokenizer })

const LONG_REPLY = 'The quick brown fox jumps over the lazy dog, then naps in the warm afternoon sun.'
const rules: ScriptedRulesInput = {
  rules: [
    {
      when: { contains: 'tools' },
      toolCalls: [
        { name: 'docs.search', arguments: { query: '{{input}}', limit: 5 } },
        { name: 'crm.lookup', arguments: { email: 'ada@example.com' } },
      ],
    },
    { when: { contains: 'no' }, refuse: 'I will not do that.' },
    { when: { always: true }, reply: LONG_REPLY },
  ],
}
const tools = [{ name: 'docs.search', description: 'Search the docs', inputSchema: { type: 'object' } }]

const ask = (content: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  system: 'You are terse.',
  messages: [
    { role: 'user', content: 'earlier question' },
    {
      role: 'assistant',
      content: 'earlier answer',
      toolCalls: [{ id: 'c0', name: 'x.y', argumentsJson: '{"a":1}' }],
    },
    { role: 'tool', toolCallId: 'c0', toolName: 'x.y', content: 'result' },
    { role: 'assistant', content: 'done' },
    { role: 'user', content },
  ],
  providerOptions: { local: rules },
  ...extra,
})

async function collect(request: ChatRequest, signal?: AbortSignal): Promise<ChatStreamPart[]> {
  const parts: ChatStreamPart[] = []
  for await (const part of model.stream(request, { signal })) parts.push(part)
  return parts
}

async function failure(action: Promise<unknown>): Promise<unknown> {
  return action.then(
    () => undefined,
    (error: unknown) => error,
  )
}

describe('ScriptedChatModel usage', () => {
  it('counts input (system, messages, tool calls, tool specs) and output with the tokenizer', async () => {
    const request = ask('tell me', { tools })
    const response = await model.generate(request)
    const expectedInput = [
      'You are terse.',
      'earlier question',
      'earlier answer',
      'x.y',
      '{"a":1}',
      'result',
      'done',
      'tell me',
      `docs.search Search the docs ${JSON.stringify({ type: 'object' })}`,
    ].reduce((total, text) => total + tokenizer.count(text), 0)
    expect(response.usage).toEqual({
      inputTokens: expectedInput,
      outputTokens: tokenizer.count(LONG_REPLY),
      cachedInputTokens: 0,
    })
  })

  it('counts tool-call arguments as output', async () => {
    const response = await model.generate(ask('use tools'))
    const argumentTokens = response.toolCalls.reduce(
      (total, call) => total + tokenizer.count(call.argumentsJson),
      0,
    )
    expect(response.usage.outputTokens).toBe(argumentTokens)
  })
})

describe('ScriptedChatModel maxOutputTokens', () => {
  it('cuts the reply at the token limit and reports finishReason length', async () => {
    const response = await model.generate(ask('tell me', { maxOutputTokens: 5 }))
    expect(response.finishReason).toBe('length')
    expect(response.usage.outputTokens).toBe(5)
    expect(LONG_REPLY.startsWith(response.content)).toBe(true)
    expect(response.content.length).toBeLessThan(LONG_REPLY.length)
    expect(tokenizer.count(response.content)).toBeLessThanOrEqual(5)
  })

  it('leaves a reply that fits untouched', async () => {
    const fits = tokenizer.count(LONG_REPLY)
    const response = await model.generate(ask('tell me', { maxOutputTokens: fits }))
    expect(response).toMatchObject({ content: LONG_REPLY, finishReason: 'stop' })
  })

  it('cuts tool-call arguments like a provider would: invalid JSON and finishReason length', async () => {
    const response = await model.generate(ask('use tools', { maxOutputTokens: 4 }))
    expect(response.finishReason).toBe('length')
    expect(response.toolCalls).toHaveLength(1)
    expect(() => JSON.parse(response.toolCalls[0]?.argumentsJson ?? '')).toThrow()
    expect(response.usage.outputTokens).toBe(4)
  })
})

describe('ScriptedChatModel streaming', () => {
  it('streams the reply word by word, then the same response generate gives', async () => {
    const parts = await collect(ask('tell me'))
    const deltas = parts.flatMap((part) => (part.type === 'text-delta' ? [part.delta] : []))
    expect(deltas).toEqual(LONG_REPLY.split(/(?<=\s)(?=\S)/))
    expect(deltas.length).toBe(LONG_REPLY.split(' ').length)
    expect(parts.at(-1)).toEqual({ type: 'finish', response: await model.generate(ask('tell me')) })
  })

  it('streams each tool call as a start and several argument deltas, in call order', async () => {
    const parts = await collect(ask('use tools'))
    const kinds = parts.map((part) => (part.type === 'tool-call-delta' ? `delta${part.index}` : part.type))
    expect(kinds).toEqual([
      'tool-call-start',
      'delta0',
      'delta0',
      'delta0',
      'tool-call-start',
      'delta1',
      'delta1',
      'delta1',
      'finish',
    ])
  })

  it('streams a refusal as a finish with the refusal text and no content', async () => {
    const parts = await collect(ask('no way'))
    expect(parts).toHaveLength(1)
    expect(parts[0]).toMatchObject({
      type: 'finish',
      response: { finishReason: 'refusal', refusal: 'I will not do that.', content: '' },
    })
  })
})

describe('ScriptedChatModel determinism, errors and cancellation', () => {
  it('gives the same response to the same request, and a different id to a different one', async () => {
    const first = await model.generate(ask('tell me'))
    expect(await model.generate(ask('tell me'))).toEqual(first)
    expect((await model.generate(ask('tell me more'))).responseId).not.toBe(first.responseId)
  })

  it('rejects invalid rules and an empty conversation with INVALID_INPUT', async () => {
    const invalid = await failure(
      model.generate({
        messages: [{ role: 'user', content: 'x' }],
        providerOptions: { local: { rules: 'all' } },
      }),
    )
    expect(CoreError.hasCode(invalid, 'INVALID_INPUT')).toBe(true)
    expect(CoreError.hasCode(await failure(model.generate({ messages: [] })), 'INVALID_INPUT')).toBe(true)
  })

  it('waits latencyMs before answering, and an abort cuts the wait short with CANCELLED', async () => {
    const slow = createScriptedChatModel({ latencyMs: 600_000 }, { tokenizer })
    const controller = new AbortController()
    const pending = failure(slow.generate(ask('tell me'), { signal: controller.signal }))
    controller.abort()
    expect(CoreError.hasCode(await pending, 'CANCELLED')).toBe(true)
  })

  it('stops a stream slowed by chunkDelayMs with CANCELLED when aborted between parts', async () => {
    const slow = createScriptedChatModel({ chunkDelayMs: 60_000 }, { tokenizer })
    const controller = new AbortController()
    const seen: string[] = []
    const consume = async () => {
      for await (const part of slow.stream(ask('tell me'), { signal: controller.signal })) {
        seen.push(part.type)
        setTimeout(() => controller.abort(), 1)
      }
    }
    expect(CoreError.hasCode(await failure(consume()), 'CANCELLED')).toBe(true)
    expect(seen).toEqual(['text-delta'])
  })
})
