import type { AgentId, ApiKeyId, CompanyId, SessionId, TurnId, UsageEventId } from '../ids.js'

export const USAGE_KINDS = [
  'llm.tokens',
  'tool.call',
  'kb.query',
  'embedding.tokens',
  'audio.seconds',
] as const
export type UsageKind = (typeof USAGE_KINDS)[number]

/**
 * Append-only. One event per actual model call (also failed turns), tool call, knowledge query,
 * embedding batch or audio segment. Never updated or deleted; corrections are new events.
 */
export interface UsageEvent {
  /** Idempotency: appending an event whose id exists is a no-op. */
  readonly id: UsageEventId
  readonly companyId: CompanyId
  readonly kind: UsageKind
  readonly occurredAt: Date
  /**
   * `YYYY-MM` the event is billed in, set by the store at append: the UTC month of `occurredAt`,
   * or, when that month is at or before the company's latest final invoice, the month after that
   * invoice (a closed period never takes new usage, and no period before a final one does either).
   */
  readonly billingPeriod: string
  readonly agentId: AgentId | null
  readonly sessionId: SessionId | null
  readonly turnId: TurnId | null
  readonly apiKeyId: ApiKeyId | null
  /** `openai`, `anthropic`, `local`, ... for model and embedding events. */
  readonly provider: string | null
  readonly model: string | null
  /** Tool name for `tool.call`. */
  readonly toolName: string | null
  readonly inputTokens: number
  readonly outputTokens: number
  readonly cachedInputTokens: number
  /** Tool calls and queries: 1. Embedding: tokens. Audio: milliseconds. */
  readonly quantity: number
}

/** A usage event before the store assigns its billing period. */
export type NewUsageEvent = Omit<UsageEvent, 'billingPeriod'>

/**
 * One event's line in a billing period's digest (see `UsageStore.periodTotals`): the id, kind,
 * model and every quantity, `|`-separated, ending in a newline. The digest is the hex SHA-256 of the
 * UTF-8 concatenation of these lines for every event billed in the period, sorted by id (the UUIDs'
 * lowercase text order, which equals their byte order). No event gives the digest of empty input.
 */
export function usageDigestLine(event: UsageEvent): string {
  return `${event.id}|${event.kind}|${event.model ?? ''}|${event.inputTokens}|${event.outputTokens}|${event.cachedInputTokens}|${event.quantity}\n`
}
