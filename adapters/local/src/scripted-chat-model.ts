import type {
  CallOptions,
  ChatModel,
  ChatRequest,
  ChatResponse,
  ChatStreamPart,
  FinishReason,
  Tokenizer,
  ToolCallRequest,
} from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import { abortableDelay } from './abortable-delay.js'
import { lastUserInput, planScriptedReply } from './plan-scripted-reply.js'
import { parseScriptedRules } from './scripted-rules.js'
import { hashString } from './stable-hash.js'

export interface ScriptedChatModelOptions {
  readonly tokenizer: Tokenizer
  /** Waited before every reply (time to first token), for demos and benchmarks. Default 0. */
  readonly latencyMs?: number
  /** Waited between streamed parts, to make streaming visible in demos. Default 0. */
  readonly chunkDelayMs?: number
}

const ARGUMENT_DELTAS = 3
const COUNT_CACHE_SIZE = 4096

/** Hands out output tokens up to `maxOutputTokens`, cutting text at a token boundary. */
class OutputBudget {
  used = 0
  isExhausted = false
  readonly tokenizer: Tokenizer
  readonly limit: number

  constructor(tokenizer: Tokenizer, limit: number) {
    this.tokenizer = tokenizer
    this.limit = limit
  }

  fit(text: string): string {
    const tokens = this.tokenizer.encode(text)
    const remaining = this.limit - this.used
    if (tokens.length <= remaining) {
      this.used += tokens.length
      return text
    }
    this.used = this.limit
    this.isExhausted = true
    return this.tokenizer.decode(tokens.slice(0, Math.max(remaining, 0))).replace(/\uFFFD+$/, '')
  }
}

/**
 * An offline, deterministic `ChatModel` for demos and tests: it follows the rules in
 * `request.providerOptions.local` (see `ScriptedRulesSchema`), answers from the retrieved context
 * extractively, or says it does not know. It has no intelligence. Usage is counted with a real
 * tokenizer: input is the system prompt, every message (tool calls included) and the tool specs;
 * output is the reply, refusal or tool-call arguments. The same request always gives the same reply.
 */
export class ScriptedChatModel implements ChatModel {
  readonly provider = 'local'
  readonly modelId = 'scripted'
  readonly #tokenizer: Tokenizer
  readonly #latencyMs: number
  readonly #chunkDelayMs: number
  /** History is re-sent every turn: counting each message once keeps a turn's overhead flat. */
  readonly #counts = new Map<string, number>()

  constructor(options: ScriptedChatModelOptions) {
    this.#tokenizer = options.tokenizer
    this.#latencyMs = options.latencyMs ?? 0
    this.#chunkDelayMs = options.chunkDelayMs ?? 0
  }

  async generate(request: ChatRequest, options?: CallOptions): Promise<ChatResponse> {
    await abortableDelay(this.#latencyMs, options?.signal)
    return this.#respond(request)
  }

  async *stream(request: ChatRequest, options?: CallOptions): AsyncGenerator<ChatStreamPart> {
    await abortableDelay(this.#latencyMs, options?.signal)
    const parts = streamPartsOf(this.#respond(request))
    for (const [position, part] of parts.entries()) {
      if (position > 0) await abortableDelay(this.#chunkDelayMs, options?.signal)
      yield part
    }
  }

  #respond(request: ChatRequest): ChatResponse {
    if (request.messages.length === 0) {
      throw new CoreError('INVALID_INPUT', 'A chat request needs at least one message.')
    }
    const plan = planScriptedReply(request, parseScriptedRules(request.providerOptions?.local))
    const budget = new OutputBudget(this.#tokenizer, request.maxOutputTokens ?? Number.POSITIVE_INFINITY)
    const input = lastUserInput(request.messages)
    const idBase = hashString(`${request.messages.length}\u0000${input}`).toString(36)
    let content = ''
    let refusal: string | null = null
    const toolCalls: ToolCallRequest[] = []
    let finishReason: FinishReason
    if (plan.type === 'text') {
      content = budget.fit(plan.content)
      finishReason = budget.isExhausted ? 'length' : 'stop'
    } else if (plan.type === 'refusal') {
      refusal = budget.fit(plan.refusal)
      finishReason = 'refusal'
    } else {
      for (const [index, call] of plan.calls.entries()) {
        if (budget.isExhausted) break
        toolCalls.push({
          id: `call_${idBase}_${index}`,
          name: call.name,
          argumentsJson: budget.fit(call.argumentsJson),
        })
      }
      finishReason = budget.isExhausted ? 'length' : 'tool-calls'
    }
    const reply = `${content}\u0000${refusal ?? ''}\u0000${toolCalls.map((call) => call.argumentsJson).join('\u0000')}`
    return {
      content,
      toolCalls,
      finishReason,
      refusal,
      usage: { inputTokens: this.#inputTokens(request), outputTokens: budget.used, cachedInputTokens: 0 },
      model: this.modelId,
      responseId: `scripted_${idBase}${hashString(reply).toString(36)}`,
    }
  }

  #inputTokens(request: ChatRequest): number {
    let total = this.#count(request.system ?? '')
    for (const message of request.messages) {
      total += this.#count(message.content)
      if (message.role === 'assistant') {
        for (const call of message.toolCalls ?? [])
          total += this.#count(call.name) + this.#count(call.argumentsJson)
      }
    }
    for (const tool of request.tools ?? []) {
      total += this.#count(`${tool.name} ${tool.description} ${JSON.stringify(tool.inputSchema)}`)
    }
    return total
  }

  #count(text: string): number {
    if (text.length === 0) return 0
    const cached = this.#counts.get(text)
    if (cached !== undefined) return cached
    const count = this.#tokenizer.count(text)
    if (this.#counts.size >= COUNT_CACHE_SIZE) this.#counts.delete(this.#counts.keys().next().value as string)
    this.#counts.set(text, count)
    return count
  }
}

/** Text as word deltas, each tool call as a start and a few argument deltas, then the finish. */
function streamPartsOf(response: ChatResponse): ChatStreamPart[] {
  const parts: ChatStreamPart[] = []
  for (const delta of response.content.split(/(?<=\s)(?=\S)/)) {
    if (delta.length > 0) parts.push({ type: 'text-delta', delta })
  }
  for (const [index, call] of response.toolCalls.entries()) {
    parts.push({ type: 'tool-call-start', index, id: call.id, name: call.name })
    const characters = Array.from(call.argumentsJson)
    const size = Math.max(1, Math.ceil(characters.length / ARGUMENT_DELTAS))
    for (let start = 0; start < characters.length; start += size) {
      parts.push({
        type: 'tool-call-delta',
        index,
        argumentsDelta: characters.slice(start, start + size).join(''),
      })
    }
  }
  parts.push({ type: 'finish', response })
  return parts
}
