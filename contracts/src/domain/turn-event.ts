import type { CoreError } from '../errors/core-error.js'
import type { AgentId, SessionId, TurnId } from '../ids.js'
import type { QuotaWarning } from './billing.js'
import type { Citation, ToolCallStatus, TurnResult, UsageSummary } from './conversation.js'

/**
 * What a running turn reports, in order: `turn-start` first; then any `text-delta`,
 * `tool-call-start`, `tool-result`, `citation`, `model-retry`, `model-fallback` and
 * `quota-warning` events; then `usage` and `turn-end`, or `error` as the last event when the turn
 * fails. An `error` before any `turn-start` means the request was refused before the turn began
 * (permission, validation, missing agent or session, a quota already used up): nothing was stored
 * or billed. The host sends these as server-sent events; the SDK reads them back.
 */
export type TurnEvent =
  | {
      readonly type: 'turn-start'
      readonly turnId: TurnId
      readonly sessionId: SessionId
      readonly agentId: AgentId
    }
  /** Reply text as the model produces it; the final answer is `turn-end`'s `result.message.content`. */
  | { readonly type: 'text-delta'; readonly delta: string }
  /** The model asked for a tool; its `tool-result` follows. */
  | { readonly type: 'tool-call-start'; readonly id: string; readonly name: string }
  | {
      readonly type: 'tool-result'
      readonly id: string
      readonly name: string
      readonly status: ToolCallStatus
      readonly durationMs: number
      readonly error?: { readonly code: string; readonly message: string }
    }
  | { readonly type: 'citation'; readonly citation: Citation }
  /**
   * A model call failed with a retryable error and is tried again on the same model after
   * `delayMs`; `attempt` counts retries from 1. Only before any part of the reply was sent.
   */
  | {
      readonly type: 'model-retry'
      readonly provider: string
      readonly model: string
      readonly attempt: number
      readonly delayMs: number
      readonly error: { readonly code: string; readonly message: string }
    }
  /**
   * The model in `from` failed (after its retries, or its circuit breaker is open) and the call goes
   * to the next model of the agent's `model.fallbacks`; usage of the reply is billed to `to`.
   */
  | {
      readonly type: 'model-fallback'
      readonly from: ModelReference
      readonly to: ModelReference
      readonly reason: { readonly code: string; readonly message: string }
    }
  /**
   * Before a model call, a monthly quota is at 80% or more of its limit (counting the call's
   * estimate); once per quota and turn. The turn goes on; `result.warnings` repeats the message.
   */
  | { readonly type: 'quota-warning'; readonly warning: QuotaWarning }
  /** Totals of the turn, just before `turn-end`. */
  | { readonly type: 'usage'; readonly usage: UsageSummary }
  | { readonly type: 'turn-end'; readonly result: TurnResult }
  | { readonly type: 'error'; readonly error: CoreError }

export type TurnEventType = TurnEvent['type']

/** A provider and model as usage events name them (`openai`, `gpt-4o-mini`). */
export interface ModelReference {
  readonly provider: string
  readonly model: string
}
