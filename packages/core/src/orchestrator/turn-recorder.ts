import type {
  AgentId,
  ApiKeyId,
  ChatResponse,
  Citation,
  Clock,
  IdGenerator,
  Message,
  MessageId,
  MessageRole,
  ModelReference,
  NewUsageEvent,
  SessionId,
  TenantScope,
  Tokenizer,
  ToolCallPart,
  ToolCallSummary,
  TurnId,
  UsageEventId,
  UsageKind,
  UsageSummary,
} from '@agentry/contracts'
import type { ToolCallOutcome } from '../tools/tool-executor.js'

export interface TurnIdentity {
  readonly scope: TenantScope
  readonly turnId: TurnId
  readonly sessionId: SessionId
  readonly agentId: AgentId
  readonly apiKeyId: ApiKeyId | null
}

interface MessageInput {
  readonly role: MessageRole
  readonly content: string
  readonly toolCalls?: readonly ToolCallPart[]
  readonly toolCallId?: string
  readonly toolName?: string
  readonly citations?: readonly Citation[]
}

/**
 * What a turn produced so far: messages (with token counts), usage events (each exactly once:
 * taken for an early append or left for the commit), tool summaries and totals.
 */
export class TurnRecorder {
  readonly identity: TurnIdentity
  readonly messages: Message[] = []
  readonly toolCalls: ToolCallSummary[] = []
  #pendingUsage: NewUsageEvent[] = []
  readonly #totals = {
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    modelCalls: 0,
    toolCalls: 0,
    kbQueries: 0,
    embeddingTokens: 0,
  }
  readonly #ids: IdGenerator
  readonly #clock: Clock
  readonly #tokenizer: Tokenizer

  constructor(
    identity: TurnIdentity,
    dependencies: { readonly ids: IdGenerator; readonly clock: Clock; readonly tokenizer: Tokenizer },
  ) {
    this.identity = identity
    this.#ids = dependencies.ids
    this.#clock = dependencies.clock
    this.#tokenizer = dependencies.tokenizer
  }

  addMessage(input: MessageInput): Message {
    const toolCalls = input.toolCalls ?? []
    let tokenCount = this.#tokenizer.count(input.content)
    for (const call of toolCalls)
      tokenCount += this.#tokenizer.count(call.name) + this.#tokenizer.count(call.argumentsJson)
    const message: Message = {
      id: this.#ids.next() as MessageId,
      companyId: this.identity.scope.companyId,
      sessionId: this.identity.sessionId,
      turnId: this.identity.turnId,
      role: input.role,
      content: input.content,
      toolCalls,
      toolCallId: input.toolCallId ?? null,
      toolName: input.toolName ?? null,
      citations: input.citations ?? [],
      tokenCount,
      createdAt: this.#clock.now(),
    }
    this.messages.push(message)
    return message
  }

  /** One `llm.tokens` event for a model call that returned, billed to the model that answered. */
  recordModelCall(model: ModelReference, response: ChatResponse): void {
    const { usage } = response
    this.#totals.modelCalls += 1
    this.#totals.inputTokens += usage.inputTokens
    this.#totals.outputTokens += usage.outputTokens
    this.#totals.cachedInputTokens += usage.cachedInputTokens
    this.#addUsage('llm.tokens', {
      provider: model.provider,
      model: model.model,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cachedInputTokens: usage.cachedInputTokens,
      quantity: 1,
    })
  }

  /** The summary for the result; a `tool.call` event when the tool actually ran. */
  recordToolCall(outcome: ToolCallOutcome): void {
    this.toolCalls.push({
      id: outcome.call.id,
      name: outcome.call.name,
      status: outcome.status,
      durationMs: Math.round(outcome.durationMs),
      error: outcome.error,
    })
    if (!outcome.executed) return
    this.#totals.toolCalls += 1
    this.#addUsage('tool.call', { toolName: outcome.call.name, quantity: 1 })
  }

  recordKnowledgeQuery(
    embedding: { readonly tokens: number; readonly provider: string; readonly model: string } | null,
  ): void {
    this.#totals.kbQueries += 1
    this.#addUsage('kb.query', { quantity: 1 })
    if (embedding && embedding.tokens > 0) {
      this.#totals.embeddingTokens += embedding.tokens
      this.#addUsage('embedding.tokens', {
        provider: embedding.provider,
        model: embedding.model,
        inputTokens: embedding.tokens,
        quantity: embedding.tokens,
      })
    }
  }

  /** Usage events not yet handed out; handing them out means the caller writes them. */
  takePendingUsage(): NewUsageEvent[] {
    const pending = this.#pendingUsage
    this.#pendingUsage = []
    return pending
  }

  /** Puts events back (their append failed), so the commit still carries them. */
  returnPendingUsage(events: readonly NewUsageEvent[]): void {
    this.#pendingUsage = [...events, ...this.#pendingUsage]
  }

  usage(): UsageSummary {
    return { ...this.#totals }
  }

  #addUsage(
    kind: UsageKind,
    fields: Partial<Omit<NewUsageEvent, 'id' | 'companyId' | 'kind' | 'occurredAt'>>,
  ): void {
    const { identity } = this
    this.#pendingUsage.push({
      id: this.#ids.next() as UsageEventId,
      companyId: identity.scope.companyId,
      kind,
      occurredAt: this.#clock.now(),
      agentId: identity.agentId,
      sessionId: identity.sessionId,
      turnId: identity.turnId,
      apiKeyId: identity.apiKeyId,
      provider: fields.provider ?? null,
      model: fields.model ?? null,
      toolName: fields.toolName ?? null,
      inputTokens: fields.inputTokens ?? 0,
      outputTokens: fields.outputTokens ?? 0,
      cachedInputTokens: fields.cachedInputTokens ?? 0,
      quantity: fields.quantity ?? 1,
    })
  }
}
