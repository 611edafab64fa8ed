import type { ChatResponse, FinishReason, TokenUsage, ToolCallRequest } from '@agentry/contracts'
import type { Message } from '@anthropic-ai/sdk/resources/messages'
import type { JsonTool } from './to-anthropic-request.js'

/** Usage fields as the API sends them, in `message_start`, `message_delta` or a message. */
export interface WireUsage {
  readonly input_tokens?: number | null
  readonly output_tokens?: number | null
  readonly cache_read_input_tokens?: number | null
  readonly cache_creation_input_tokens?: number | null
}

/**
 * Anthropic counts cache reads and cache writes apart from `input_tokens`; the port's input is all
 * of it, and cached input is the part read from the cache.
 */
export function toTokenUsage(usage: WireUsage | null | undefined): TokenUsage {
  const cacheRead = count(usage?.cache_read_input_tokens)
  const inputTokens = count(usage?.input_tokens) + cacheRead + count(usage?.cache_creation_input_tokens)
  return { inputTokens, outputTokens: count(usage?.output_tokens), cachedInputTokens: cacheRead }
}

/** The port's finish reason. `tool_use` for the JSON tool alone is a finished answer (`stop`). */
export function toFinishReason(stopReason: string | null | undefined, toolCallCount: number): FinishReason {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop'
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length'
    case 'tool_use':
      return toolCallCount > 0 ? 'tool-calls' : 'stop'
    case 'refusal':
      return 'refusal'
    default:
      return 'other'
  }
}

/** Why the model refused: the API's explanation, else what it said, else a plain statement. */
export function refusalText(stopDetails: unknown, text: string): string {
  const explanation = (stopDetails as { explanation?: unknown } | null | undefined)?.explanation
  if (typeof explanation === 'string' && explanation.trim() !== '') return explanation
  if (text.trim() !== '') return text
  return 'The model declined to answer (Anthropic stop_reason refusal).'
}

/** The JSON answer carried by the JSON tool's input. */
export function jsonToolContent(input: unknown, jsonTool: JsonTool): string {
  return JSON.stringify(jsonTool.isWrapped ? (input as { value?: unknown } | null)?.value : input) ?? ''
}

/** A non-streamed message as the port's response. */
export function fromAnthropicMessage(
  message: Message,
  modelId: string,
  jsonTool: JsonTool | undefined,
): ChatResponse {
  let text = ''
  let json: string | undefined
  const toolCalls: ToolCallRequest[] = []
  for (const block of message.content ?? []) {
    if (block.type === 'text') text += block.text
    if (block.type !== 'tool_use') continue
    if (jsonTool && block.name === jsonTool.name) json = jsonToolContent(block.input, jsonTool)
    else toolCalls.push({ id: block.id, name: block.name, argumentsJson: JSON.stringify(block.input ?? {}) })
  }
  const finishReason = toFinishReason(message.stop_reason, toolCalls.length)
  const stopDetails = (message as { stop_details?: unknown }).stop_details
  return {
    content: json ?? text,
    toolCalls,
    finishReason,
    refusal: finishReason === 'refusal' ? refusalText(stopDetails, text) : null,
    usage: toTokenUsage(message.usage),
    model: message.model || modelId,
    responseId: message.id || null,
  }
}

function count(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0
}
