import type { CallOptions, JsonSchema } from '../common.js'
import type { CompanyId } from '../ids.js'

export type ChatMessage =
  | { readonly role: 'system'; readonly content: string }
  | { readonly role: 'user'; readonly content: string }
  | { readonly role: 'assistant'; readonly content: string; readonly toolCalls?: readonly ToolCallRequest[] }
  | {
      readonly role: 'tool'
      readonly toolCallId: string
      readonly toolName: string
      /** The tool's result or error as text (JSON for structured results). */
      readonly content: string
      readonly isError?: boolean
    }

/** A tool the model may call. Only tools from the agent's allowlist are ever offered. */
export interface ToolSpec {
  readonly name: string
  readonly description: string
  readonly inputSchema: JsonSchema
}

export interface ToolCallRequest {
  /** Provider-assigned id, echoed back on the tool message. */
  readonly id: string
  readonly name: string
  /** The arguments exactly as the model produced them; may be invalid JSON. */
  readonly argumentsJson: string
}

/** Retrieved knowledge already rendered into the messages, as data for models that use it directly. */
export interface ContextPassage {
  /** The `[n]` marker the prompt gives this passage. */
  readonly index: number
  readonly title: string
  readonly text: string
}

export interface ChatRequest {
  /** Instructions placed before the conversation (system prompt, rules, delimited context). */
  readonly system?: string
  /** The conversation, oldest first. Never empty. */
  readonly messages: readonly ChatMessage[]
  readonly tools?: readonly ToolSpec[]
  readonly toolChoice?: 'auto' | 'none' | 'required'
  readonly responseFormat?:
    | { readonly type: 'text' }
    | { readonly type: 'json'; readonly name: string; readonly schema: JsonSchema }
  readonly maxOutputTokens?: number
  readonly temperature?: number
  readonly context?: readonly ContextPassage[]
  /** Provider-specific settings, namespaced by provider (`{ openai: { ... } }`). */
  readonly providerOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>
}

export interface TokenUsage {
  readonly inputTokens: number
  readonly outputTokens: number
  /** Input tokens served from the provider's prompt cache (a subset of `inputTokens`). */
  readonly cachedInputTokens: number
}

export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'refusal' | 'other'

export interface ChatResponse {
  readonly content: string
  readonly toolCalls: readonly ToolCallRequest[]
  readonly finishReason: FinishReason
  /** The model's refusal text when it declined (`finishReason` is `refusal`). */
  readonly refusal: string | null
  readonly usage: TokenUsage
  /** The model that answered, as the provider reports it. */
  readonly model: string
  readonly responseId: string | null
}

/**
 * Parts of a streamed reply, in order: any number of text and tool-call parts, then exactly one
 * `finish`. For each tool call, `tool-call-start` comes before its `tool-call-delta`s. A tool call's
 * `index` is its position in the finish response's `toolCalls`; its deltas concatenate to that call's
 * `argumentsJson`, and the text deltas concatenate to the response's `content`.
 */
export type ChatStreamPart =
  | { readonly type: 'text-delta'; readonly delta: string }
  | { readonly type: 'tool-call-start'; readonly index: number; readonly id: string; readonly name: string }
  | { readonly type: 'tool-call-delta'; readonly index: number; readonly argumentsDelta: string }
  | { readonly type: 'finish'; readonly response: ChatResponse }

/**
 * One model call. Implementations translate to and from one provider; they do not retry (the core's
 * resilience policy does) and do not persist anything.
 *
 * `generate` and `stream` are equivalent: `stream`'s `finish` part carries the same response
 * `generate` would return. Both honour `signal` (reject with `CANCELLED`). Errors are CoreErrors:
 * `UNAUTHENTICATED` (bad key, naming the setting), `RATE_LIMITED` (with `retryAfterMs` when the
 * provider says), `CONTEXT_LENGTH_EXCEEDED`, `CONTENT_FILTERED`, `INVALID_INPUT` (request the
 * provider rejected), `TIMEOUT` and `UNAVAILABLE` (retryable), `UPSTREAM_ERROR` otherwise.
 */
export interface ChatModel {
  /** `openai`, `anthropic`, `local`, ... as used in agent configs and usage events. */
  readonly provider: string
  readonly modelId: string
  generate(request: ChatRequest, options?: CallOptions): Promise<ChatResponse>
  stream(request: ChatRequest, options?: CallOptions): AsyncIterable<ChatStreamPart>
}

/**
 * Finds the model for a provider and model name, per company (bring-your-own-key adapters resolve
 * the company's credentials here). Throws `INVALID_INPUT` for an unknown provider, naming the ones
 * configured.
 */
export interface ChatModelResolver {
  resolve(
    request: { readonly companyId: CompanyId; readonly provider: string; readonly model: string },
    options?: CallOptions,
  ): Promise<ChatModel>
}
