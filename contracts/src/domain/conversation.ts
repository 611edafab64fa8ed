import type { JsonValue } from '../common.js'
import type {
  AgentId,
  ApiKeyId,
  ChunkId,
  CompanyId,
  DocumentId,
  KnowledgeBaseId,
  MessageId,
  SessionId,
  TurnId,
} from '../ids.js'

/** A conversation between one agent and one external user on one channel. */
export interface Session {
  readonly id: SessionId
  readonly companyId: CompanyId
  readonly agentId: AgentId
  /** `api`, `web`, `slack`, `whatsapp`, `telegram`, `voice`, ... */
  readonly channel: string
  readonly externalUserId: string | null
  /** Running summary of older messages, when the agent's memory policy keeps one. */
  readonly summary: string | null
  readonly metadata: Readonly<Record<string, JsonValue>>
  readonly messageCount: number
  readonly createdAt: Date
  readonly updatedAt: Date
}

export const MESSAGE_ROLES = ['system', 'user', 'assistant', 'tool'] as const
export type MessageRole = (typeof MESSAGE_ROLES)[number]

/** A tool call the model asked for, as stored on an assistant message. */
export interface ToolCallPart {
  readonly id: string
  readonly name: string
  /** The arguments as the model wrote them (JSON text, possibly invalid). */
  readonly argumentsJson: string
}

export interface Citation {
  /** The `[n]` marker the answer uses, from 1. */
  readonly index: number
  readonly chunkId: ChunkId
  readonly documentId: DocumentId
  readonly knowledgeBaseId: KnowledgeBaseId
  readonly documentTitle: string
  readonly page: number | null
  readonly startOffset: number
  readonly endOffset: number
  readonly snippet: string
  readonly score: number
}

/** Messages are ordered by id (UUIDv7, monotonic), which is the order they were made. */
export interface Message {
  readonly id: MessageId
  readonly companyId: CompanyId
  readonly sessionId: SessionId
  readonly turnId: TurnId
  readonly role: MessageRole
  readonly content: string
  readonly toolCalls: readonly ToolCallPart[]
  /** For `tool` messages: the call this result answers. */
  readonly toolCallId: string | null
  readonly toolName: string | null
  readonly citations: readonly Citation[]
  /** Tokens of `content` (and tool calls) counted once when written, for history windows. */
  readonly tokenCount: number
  readonly createdAt: Date
}

export interface UsageSummary {
  readonly inputTokens: number
  readonly outputTokens: number
  readonly cachedInputTokens: number
  readonly modelCalls: number
  readonly toolCalls: number
  readonly kbQueries: number
  readonly embeddingTokens: number
}

export const TOOL_CALL_STATUSES = [
  'ok',
  'error',
  'denied',
  'invalid-arguments',
  'timeout',
  'skipped',
] as const
export type ToolCallStatus = (typeof TOOL_CALL_STATUSES)[number]

export interface ToolCallSummary {
  readonly id: string
  readonly name: string
  readonly status: ToolCallStatus
  readonly durationMs: number
  readonly error: { readonly code: string; readonly message: string } | null
}

/** How a turn ended. A turn that ends any of these ways still persists and bills what it used. */
export type TurnOutcome =
  | { readonly type: 'replied' }
  | { readonly type: 'tool-limit-reached'; readonly limit: number }
  | { readonly type: 'loop-limit-reached'; readonly limit: number }
  | { readonly type: 'output-invalid'; readonly errors: readonly string[] }
  | { readonly type: 'refused'; readonly reason: string }
  | { readonly type: 'truncated' }

export interface TurnResult {
  readonly turnId: TurnId
  readonly sessionId: SessionId
  readonly agentId: AgentId
  readonly agentVersion: number
  readonly outcome: TurnOutcome
  readonly message: { readonly role: 'assistant'; readonly content: string }
  /** The parsed reply when the agent's output format is JSON and it validated. */
  readonly output: JsonValue | null
  readonly citations: readonly Citation[]
  readonly toolCalls: readonly ToolCallSummary[]
  readonly usage: UsageSummary
  readonly warnings: readonly string[]
}

export interface Turn {
  readonly id: TurnId
  readonly companyId: CompanyId
  readonly sessionId: SessionId
  readonly agentId: AgentId
  readonly agentVersion: number
  /** Unique per company when set: the same key returns the stored result without a model call. */
  readonly idempotencyKey: string | null
  readonly apiKeyId: ApiKeyId | null
  readonly status: 'completed' | 'failed'
  /** The result returned to the caller, stored for idempotent replay. Null when the turn failed. */
  readonly result: TurnResult | null
  readonly error: { readonly code: string; readonly message: string } | null
  readonly usage: UsageSummary
  readonly createdAt: Date
  readonly completedAt: Date
}
