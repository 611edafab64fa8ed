import type { ChatResponse, FinishReason, TokenUsage, ToolCallRequest } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import type { ChatCompletion } from 'openai/resources/chat/completions'

/**
 * Usage as OpenAI and compatible servers report it. Cached input is `prompt_tokens_details
 * .cached_tokens` (DeepSeek also says `prompt_cache_hit_tokens`); a server that reports nothing
 * gives zeros.
 */
export interface WireUsage {
  readonly prompt_tokens?: number | null
  readonly completion_tokens?: number | null
  readonly prompt_tokens_details?: { readonly cached_tokens?: number | null } | null
  readonly prompt_cache_hit_tokens?: number | null
}

export function toTokenUsage(usage: WireUsage | null | undefined): TokenUsage {
  const inputTokens = count(usage?.prompt_tokens)
  const cached = count(usage?.prompt_tokens_details?.cached_tokens ?? usage?.prompt_cache_hit_tokens)
  return {
    inputTokens,
    outputTokens: count(usage?.completion_tokens),
    cachedInputTokens: Math.min(cached, inputTokens),
  }
}

/**
 * The port's finish reason. A refusal wins; `stop` with tool calls (some compatible servers, e.g.
 * Ollama, say `stop`) counts as `tool-calls`; `tool_calls` without any call is `other`.
 */
export function toFinishReason(
  reason: string | null | undefined,
  toolCallCount: number,
  hasRefusal: boolean,
): FinishReason {
  if (hasRefusal) return 'refusal'
  switch (reason) {
    case 'stop':
      return toolCallCount > 0 ? 'tool-calls' : 'stop'
    case 'length':
      return 'length'
    case 'tool_calls':
    case 'function_call':
      return toolCallCount > 0 ? 'tool-calls' : 'other'
    case 'content_filter':
      return 'content-filter'
    default:
      return 'other'
  }
}

/** A non-streamed completion as the port's response (only the first choice is read). */
export function fromOpenAICompletion(
  completion: ChatCompletion,
  modelId: string,
  label: string,
): ChatResponse {
  const choice = completion.choices?.[0]
  if (!choice) {
    throw new CoreError('UPSTREAM_ERROR', `${label} answered without a choice.`, {
      details: { id: completion.id },
    })
  }
  const message = choice.message
  const toolCalls: ToolCallRequest[] = (message.tool_calls ?? []).flatMap((call, index) =>
    call.type === 'function' || call.type === undefined
      ? [
          {
            id: call.id || `call_${index}`,
            name: call.function.name,
            argumentsJson: call.function.arguments ?? '',
          },
        ]
      : [],
  )
  const refusal = message.refusal ? message.refusal : null
  return {
    content: message.content ?? '',
    toolCalls,
    finishReason: toFinishReason(choice.finish_reason, toolCalls.length, refusal !== null),
    refusal,
    usage: toTokenUsage(completion.usage as WireUsage | undefined),
    model: completion.model || modelId,
    responseId: completion.id || null,
  }
}

function count(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0
}
