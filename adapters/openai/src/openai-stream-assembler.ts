import type { ChatResponse, ChatStreamPart, ToolCallRequest } from '@agentry/contracts'
import type { ChatCompletionChunk } from 'openai/resources/chat/completions'
import { toFinishReason, toTokenUsage, type WireUsage } from './from-openai-response.js'

interface ToolCallState {
  id: string
  name: string
  argumentsJson: string
  /** Its index in the response's tool calls, once started. */
  position: number | undefined
}

/** Fields compatible servers add to chunks: Groq puts usage in `x_groq` as well. */
type WireChunk = ChatCompletionChunk & { readonly x_groq?: { readonly usage?: WireUsage | null } }

/**
 * Turns Chat Completions chunks into the port's stream parts and the final response.
 *
 * Tool calls are keyed by the chunk's own `index` (parallel calls interleave) and numbered by the
 * order they start, so a server that starts at index 1 (Anthropic's compatible API) still gives
 * call 0. A call starts once its name is known; argument text seen before that is sent with the
 * start. Usage is taken from wherever the server puts it: its own chunk after the finish (OpenAI),
 * the finish chunk (DeepSeek, Groq) or `x_groq.usage`.
 */
export class OpenAIStreamAssembler {
  private content = ''
  private refusal = ''
  private finishReason: string | null = null
  private usage: WireUsage | null = null
  private model = ''
  private responseId = ''
  private readonly calls = new Map<number, ToolCallState>()
  private started = 0

  get hasFinished(): boolean {
    return this.finishReason !== null
  }

  push(chunk: WireChunk): ChatStreamPart[] {
    const parts: ChatStreamPart[] = []
    this.model ||= chunk.model ?? ''
    this.responseId ||= chunk.id ?? ''
    const usage = chunk.usage ?? chunk.x_groq?.usage
    if (usage) this.usage = usage
    const choice = chunk.choices?.find((candidate) => (candidate.index ?? 0) === 0)
    if (!choice) return parts
    const delta = choice.delta ?? {}
    if (typeof delta.content === 'string' && delta.content !== '') {
      this.content += delta.content
      parts.push({ type: 'text-delta', delta: delta.content })
    }
    if (typeof delta.refusal === 'string') this.refusal += delta.refusal
    for (const [arrayIndex, toolCall] of (delta.tool_calls ?? []).entries()) {
      parts.push(...this.pushToolCall(toolCall, arrayIndex))
    }
    if (choice.finish_reason) this.finishReason = choice.finish_reason
    return parts
  }

  /** Starts calls that never got a name (so none is lost), then the finish part. */
  finish(fallbackModel: string): ChatStreamPart[] {
    const parts: ChatStreamPart[] = []
    for (const call of this.calls.values()) if (call.position === undefined) parts.push(...this.start(call))
    parts.push({ type: 'finish', response: this.response(fallbackModel) })
    return parts
  }

  private pushToolCall(
    toolCall: ChatCompletionChunk.Choice.Delta.ToolCall,
    arrayIndex: number,
  ): ChatStreamPart[] {
    const key = toolCall.index ?? arrayIndex
    let call = this.calls.get(key)
    if (!call) {
      call = { id: '', name: '', argumentsJson: '', position: undefined }
      this.calls.set(key, call)
    }
    if (toolCall.id) call.id = toolCall.id
    if (toolCall.function?.name) call.name += toolCall.function.name
    const argumentsDelta = toolCall.function?.arguments ?? ''
    call.argumentsJson += argumentsDelta
    if (call.position === undefined) return call.name ? this.start(call) : []
    return argumentsDelta ? [{ type: 'tool-call-delta', index: call.position, argumentsDelta }] : []
  }

  private start(call: ToolCallState): ChatStreamPart[] {
    call.position = this.started++
    call.id ||= `call_${call.position}`
    const parts: ChatStreamPart[] = [
      { type: 'tool-call-start', index: call.position, id: call.id, name: call.name },
    ]
    if (call.argumentsJson)
      parts.push({ type: 'tool-call-delta', index: call.position, argumentsDelta: call.argumentsJson })
    return parts
  }

  private response(fallbackModel: string): ChatResponse {
    const toolCalls: ToolCallRequest[] = [...this.calls.values()]
      .sort((left, right) => (left.position ?? 0) - (right.position ?? 0))
      .map(({ id, name, argumentsJson }) => ({ id, name, argumentsJson }))
    const refusal = this.refusal === '' ? null : this.refusal
    return {
      content: this.content,
      toolCalls,
      finishReason: toFinishReason(this.finishReason, toolCalls.length, refusal !== null),
      refusal,
      usage: toTokenUsage(this.usage),
      model: this.model || fallbackModel,
      responseId: this.responseId || null,
    }
  }
}
