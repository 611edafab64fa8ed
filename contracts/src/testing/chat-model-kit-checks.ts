import { expect } from 'vitest'
import type { CallOptions } from '../common.js'
import { CoreError } from '../errors/core-error.js'
import type {
  ChatModel,
  ChatRequest,
  ChatResponse,
  ChatStreamPart,
  TokenUsage,
  ToolCallRequest,
} from '../ports/chat-model.js'

const STREAM_PART_TYPES = ['text-delta', 'tool-call-start', 'tool-call-delta', 'finish']

/** Usage a caller can add up and bill: non-negative integers, cached input a subset of input. */
export function expectValidUsage(usage: TokenUsage): void {
  for (const key of ['inputTokens', 'outputTokens', 'cachedInputTokens'] as const) {
    const value = usage[key]
    expect(
      Number.isInteger(value) && value >= 0,
      `usage.${key} is a non-negative integer (got ${value})`,
    ).toBe(true)
  }
  expect(usage.cachedInputTokens, 'cachedInputTokens is part of inputTokens').toBeLessThanOrEqual(
    usage.inputTokens,
  )
  expect(usage.inputTokens, 'a request always has input').toBeGreaterThan(0)
}

/** Fields consistent with each other, whatever the scenario. */
export function expectWellFormedResponse(response: ChatResponse): void {
  expect(typeof response.content).toBe('string')
  expect(typeof response.model === 'string' && response.model.length > 0, 'model names the model').toBe(true)
  expectValidUsage(response.usage)
  if (response.finishReason === 'refusal') {
    expect(typeof response.refusal === 'string' && response.refusal.length > 0, 'refusal text is given').toBe(
      true,
    )
  } else {
    expect(response.refusal, 'refusal is null unless finishReason is refusal').toBeNull()
  }
  if (response.finishReason === 'tool-calls') {
    expect(response.toolCalls.length, 'finishReason tool-calls comes with tool calls').toBeGreaterThan(0)
  }
  for (const call of response.toolCalls) expectWellFormedToolCall(call)
}

export function expectWellFormedToolCall(call: ToolCallRequest): void {
  expect(call.id.length, 'a tool call has an id').toBeGreaterThan(0)
  expect(call.name.length, 'a tool call has a name').toBeGreaterThan(0)
  expect(typeof call.argumentsJson).toBe('string')
}

/** Tool calls of a tool scenario: offered names, distinct ids, arguments that parse to objects. */
export function expectUsableToolCalls(response: ChatResponse, request: ChatRequest): void {
  expect(response.finishReason).toBe('tool-calls')
  expect(response.toolCalls.length).toBeGreaterThan(0)
  const offered = (request.tools ?? []).map((tool) => tool.name)
  for (const call of response.toolCalls) {
    expect(offered, `tool ${call.name} was offered`).toContain(call.name)
    const parsed: unknown = JSON.parse(call.argumentsJson)
    expect(
      typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed),
      'arguments are an object',
    ).toBe(true)
  }
  const ids = response.toolCalls.map((call) => call.id)
  expect(new Set(ids).size, 'tool call ids are distinct').toBe(ids.length)
}

export async function collectStream(
  model: ChatModel,
  request: ChatRequest,
  options?: CallOptions,
): Promise<ChatStreamPart[]> {
  const parts: ChatStreamPart[] = []
  for await (const part of model.stream(request, options)) parts.push(part)
  return parts
}

/**
 * Checks the documented order of a finished stream and returns its finish response: known part types,
 * exactly one `finish` and it is last, text deltas concatenate to the content, each tool call starts
 * once before its deltas, its index is its position in `toolCalls` and its deltas concatenate to its
 * arguments.
 */
export function expectWellOrderedStream(parts: readonly ChatStreamPart[]): ChatResponse {
  for (const part of parts) expect(STREAM_PART_TYPES).toContain(part.type)
  const finishes = parts.filter((part) => part.type === 'finish')
  expect(finishes, 'exactly one finish part').toHaveLength(1)
  expect(parts.at(-1)?.type, 'the finish part is last').toBe('finish')
  const response = (finishes[0] as Extract<ChatStreamPart, { type: 'finish' }>).response
  expectWellFormedResponse(response)

  let text = ''
  const started = new Map<number, { id: string; name: string; argumentsJson: string }>()
  for (const part of parts) {
    if (part.type === 'text-delta') text += part.delta
    if (part.type === 'tool-call-start') {
      expect(started.has(part.index), `tool call ${part.index} starts once`).toBe(false)
      started.set(part.index, { id: part.id, name: part.name, argumentsJson: '' })
    }
    if (part.type === 'tool-call-delta') {
      const call = started.get(part.index)
      expect(call, `tool-call-start ${part.index} precedes its deltas`).toBeDefined()
      if (call) call.argumentsJson += part.argumentsDelta
    }
  }
  expect(text, 'text deltas concatenate to the finish content').toBe(response.content)
  expect(started.size, 'one tool-call-start per tool call of the finish response').toBe(
    response.toolCalls.length,
  )
  response.toolCalls.forEach((call, index) => {
    expect(started.get(index), `stream tool call ${index} matches finish toolCalls[${index}]`).toEqual({
      id: call.id,
      name: call.name,
      argumentsJson: call.argumentsJson,
    })
  })
  return response
}

/**
 * `generate` and `stream` describe the same reply. A deterministic model must agree exactly; a model
 * answering from independent recordings only in finish reason and the tools it calls.
 */
export function expectAgreement(
  generated: ChatResponse,
  streamed: ChatResponse,
  isDeterministic: boolean,
): void {
  expect(streamed.finishReason).toBe(generated.finishReason)
  expect(streamed.toolCalls.map((call) => call.name)).toEqual(generated.toolCalls.map((call) => call.name))
  if (!isDeterministic) return
  expect(streamed.content).toBe(generated.content)
  expect(streamed.refusal).toBe(generated.refusal)
  expect(streamed.usage).toEqual(generated.usage)
  expect(streamed.toolCalls.map((call) => call.argumentsJson)).toEqual(
    generated.toolCalls.map((call) => call.argumentsJson),
  )
}

export async function expectCancelled(action: Promise<unknown>): Promise<void> {
  const outcome = await action.then(
    () => 'resolved',
    (error: unknown) => error,
  )
  const seen = CoreError.isInstance(outcome) ? `CoreError ${outcome.code}` : String(outcome)
  expect(CoreError.hasCode(outcome, 'CANCELLED'), `expected CoreError CANCELLED, got ${seen}`).toBe(true)
}
