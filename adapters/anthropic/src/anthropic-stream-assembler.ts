import type { ChatResponse, ChatStreamPart, ToolCallRequest } from '@agentry/contracts'
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages'
import {
  jsonToolContent,
  refusalText,
  toFinishReason,
  toTokenUsage,
  type WireUsage,
} from './from-anthropic-message.js'
import type { JsonTool } from './to-anthropic-request.js'

type Block =
  | { readonly kind: 'text' }
  | {
      readonly kind: 'tool'
      readonly call: ToolCallRequest & { argumentsJson: string }
      readonly position: number
      readonly input: unknown
    }
  | { readonly kind: 'json'; json: string; readonly input: unknown }
  | { readonly kind: 'other' }

/**
 * Turns Messages API stream events into the port's stream parts and the final response.
 *
 * Content blocks are keyed by their `index`; tool calls are numbered in the order they start.
 * A tool call whose input arrives whole in `content_block_start` (or not at all) gets it as one
 * delta when the block stops, so streamed and generated arguments agree (`{}` for no arguments).
 * With the JSON tool, its input is the streamed text, and any text before it is held back and
 * dropped once the tool is called (the JSON alone is the answer).
 */
export class AnthropicStreamAssembler {
  private readonly blocks = new Map<number, Block>()
  private readonly toolCalls: (ToolCallRequest & { argumentsJson: string })[] = []
  private readonly heldText: string[] = []
  private text = ''
  private jsonBlock: Extract<Block, { kind: 'json' }> | undefined
  private usage: { -readonly [Key in keyof WireUsage]: WireUsage[Key] } = {}
  private stopReason: string | null = null
  private stopDetails: unknown = null
  private model = ''
  private responseId = ''

  constructor(private readonly jsonTool: JsonTool | undefined) {}

  get hasFinished(): boolean {
    return this.stopReason !== null
  }

  push(event: RawMessageStreamEvent): ChatStreamPart[] {
    switch (event.type) {
      case 'message_start':
        this.model = event.message.model
        this.responseId = event.message.id
        this.mergeUsage(event.message.usage)
        return []
      case 'content_block_start':
        return this.startBlock(event.index, event.content_block)
      case 'content_block_delta':
        return this.delta(event.index, event.delta)
      case 'content_block_stop':
        return this.stopBlock(event.index)
      case 'message_delta':
        this.stopReason = event.delta.stop_reason ?? this.stopReason
        this.stopDetails = (event.delta as { stop_details?: unknown }).stop_details ?? this.stopDetails
        this.mergeUsage(event.usage)
        return []
      default:
        return []
    }
  }

  /** Held text (when the JSON tool was not called), a wrapped JSON answer, then the finish part. */
  finish(fallbackModel: string): ChatStreamPart[] {
    const parts: ChatStreamPart[] = []
    if (this.jsonBlock && this.jsonTool?.isWrapped) {
      const json = jsonToolContent(JSON.parse(this.jsonBlock.json || '{}'), this.jsonTool)
      this.jsonBlock.json = json
      parts.push({ type: 'text-delta', delta: json })
    }
    if (!this.jsonBlock) for (const delta of this.heldText) parts.push({ type: 'text-delta', delta })
    parts.push({ type: 'finish', response: this.response(fallbackModel) })
    return parts
  }

  private startBlock(
    index: number,
    block: { type: string; text?: string; id?: string; name?: string; input?: unknown },
  ) {
    if (block.type === 'text') {
      this.blocks.set(index, { kind: 'text' })
      return block.text ? this.delta(index, { type: 'text_delta', text: block.text }) : []
    }
    if (block.type !== 'tool_use') {
      this.blocks.set(index, { kind: 'other' })
      return []
    }
    if (this.jsonTool && block.name === this.jsonTool.name) {
      this.jsonBlock = { kind: 'json', json: '', input: block.input }
      this.blocks.set(index, this.jsonBlock)
      return []
    }
    const call = {
      id: block.id ?? `toolu_${this.toolCalls.length}`,
      name: block.name ?? '',
      argumentsJson: '',
    }
    const position = this.toolCalls.push(call) - 1
    this.blocks.set(index, { kind: 'tool', call, position, input: block.input })
    return [{ type: 'tool-call-start' as const, index: position, id: call.id, name: call.name }]
  }

  private delta(
    index: number,
    delta: { type: string; text?: string; partial_json?: string },
  ): ChatStreamPart[] {
    const block = this.blocks.get(index)
    if (block?.kind === 'text' && delta.type === 'text_delta' && delta.text) {
      this.text += delta.text
      if (this.jsonTool) {
        this.heldText.push(delta.text)
        return []
      }
      return [{ type: 'text-delta', delta: delta.text }]
    }
    if (delta.type !== 'input_json_delta' || !delta.partial_json) return []
    if (block?.kind === 'tool') {
      block.call.argumentsJson += delta.partial_json
      return [{ type: 'tool-call-delta', index: block.position, argumentsDelta: delta.partial_json }]
    }
    if (block?.kind === 'json') {
      block.json += delta.partial_json
      return this.jsonTool?.isWrapped ? [] : [{ type: 'text-delta', delta: delta.partial_json }]
    }
    return []
  }

  private stopBlock(index: number): ChatStreamPart[] {
    const block = this.blocks.get(index)
    const whole = (input: unknown) => JSON.stringify(input ?? {})
    if (block?.kind === 'tool' && block.call.argumentsJson === '') {
      block.call.argumentsJson = whole(block.input)
      return [{ type: 'tool-call-delta', index: block.position, argumentsDelta: block.call.argumentsJson }]
    }
    if (block?.kind === 'json' && block.json === '') {
      block.json = whole(block.input)
      return this.jsonTool?.isWrapped ? [] : [{ type: 'text-delta', delta: block.json }]
    }
    return []
  }

  private mergeUsage(usage: WireUsage | null | undefined): void {
    for (const key of [
      'input_tokens',
      'output_tokens',
      'cache_read_input_tokens',
      'cache_creation_input_tokens',
    ] as const) {
      const value = usage?.[key]
      if (typeof value === 'number') this.usage[key] = value
    }
  }

  private response(fallbackModel: string): ChatResponse {
    const toolCalls = this.toolCalls.map(({ id, name, argumentsJson }) => ({ id, name, argumentsJson }))
    const finishReason = toFinishReason(this.stopReason, toolCalls.length)
    return {
      content: this.jsonBlock ? this.jsonBlock.json : this.text,
      toolCalls,
      finishReason,
      refusal: finishReason === 'refusal' ? refusalText(this.stopDetails, this.text) : null,
      usage: toTokenUsage(this.usage),
      model: this.model || fallbackModel,
      responseId: this.responseId || null,
    }
  }
}
