import type {
  AgentId,
  ApiKeyId,
  CallOptions,
  ChatModel,
  ChatRequest,
  ModelReference,
  Quota,
  QuotaWarning,
  TenantScope,
  TokenUsage,
} from '@agentry/contracts'

/** Who a turn runs for, and the company's quotas as the turn's one read returned them. */
export interface TurnBudgetRequest {
  readonly scope: TenantScope
  readonly agentId: AgentId
  readonly apiKeyId: ApiKeyId | null
  readonly quotas: readonly Quota[]
}

/**
 * Budgets checked before model calls (ARCHITECTURE section 4, step 6). The orchestrator opens one
 * per turn before `turn-start` and asks it before every model call, whatever `ModelCaller` is
 * configured, so a refusal means no model was called.
 */
export interface ModelCallBudget {
  /** Throws CoreError `QUOTA_EXCEEDED` when a cap is already used up: the turn is refused, nothing stored. */
  openTurn(request: TurnBudgetRequest, options?: CallOptions): Promise<TurnBudget>
}

export interface TurnBudget {
  /**
   * Before each model call, with the request about to be sent: throws `QUOTA_EXCEEDED` when the
   * call's estimate would pass a cap; returns the warnings to report (each quota once per turn).
   */
  beforeModelCall(
    call: { readonly model: ChatModel; readonly request: ChatRequest },
    options?: CallOptions,
  ): Promise<readonly QuotaWarning[]>
  /** After a model call returned, with the model that answered and its usage. */
  afterModelCall(model: ModelReference, usage: TokenUsage): void
}

/** The budget of a turn no quota applies to. */
export const UNLIMITED_BUDGET: TurnBudget = {
  beforeModelCall: () => Promise.resolve([]),
  afterModelCall: () => {},
}
