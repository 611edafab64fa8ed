import type { CallOptions, Page, PageRequest } from '../../common.js'
import type { NewUsageEvent, UsageEvent, UsageKind } from '../../domain/usage.js'
import type { AgentId, ApiKeyId, CompanyId } from '../../ids.js'
import type { SystemScope, TenantScope } from '../../scope.js'

export interface UsageFilter {
  /** Half-open range on `occurredAt`. */
  readonly from?: Date
  readonly to?: Date
  readonly billingPeriod?: string
  readonly kind?: UsageKind
  readonly agentId?: AgentId
  readonly apiKeyId?: ApiKeyId
}

export const USAGE_GROUP_KEYS = ['day', 'agent', 'kind', 'model', 'provider', 'apiKey'] as const
export type UsageGroupKey = (typeof USAGE_GROUP_KEYS)[number]

export interface UsageSummaryRow {
  /** `YYYY-MM-DD` (UTC) when grouped by day. */
  readonly day?: string
  readonly agentId?: AgentId | null
  readonly kind?: UsageKind
  readonly model?: string | null
  readonly provider?: string | null
  readonly apiKeyId?: ApiKeyId | null
  readonly events: number
  readonly inputTokens: number
  readonly outputTokens: number
  readonly cachedInputTokens: number
  readonly quantity: number
}

/**
 * What an invoice needs from one billing period, read from one consistent snapshot, so the sums and
 * the digest always describe the same events.
 */
export interface UsagePeriodTotals {
  readonly billingPeriod: string
  /** Events billed in the period. */
  readonly events: number
  /** Sums per kind and model (each row has `kind` and `model`), sorted by kind then model, nulls last. */
  readonly groups: readonly UsageSummaryRow[]
  /** Hex SHA-256 over the period's events as `usageDigestLine` documents. */
  readonly digest: string
}

/**
 * Usage events: append-only (updates and deletes are refused, by the database where there is one),
 * idempotent on id. `append` assigns `billingPeriod` as `UsageEvent` documents and returns how many
 * events were new. Summaries group on any subset of keys; rows come sorted by their keys.
 */
export interface UsageStore {
  append(scope: TenantScope, events: readonly NewUsageEvent[], options?: CallOptions): Promise<number>
  /** Oldest first (by id). */
  list(
    scope: TenantScope,
    filter?: UsageFilter,
    page?: PageRequest,
    options?: CallOptions,
  ): Promise<Page<UsageEvent>>
  summarize(
    scope: TenantScope,
    filter: UsageFilter,
    groupBy: readonly UsageGroupKey[],
    options?: CallOptions,
  ): Promise<readonly UsageSummaryRow[]>
  /**
   * Totals and digest of the events billed in `billingPeriod` (by `billingPeriod`, not
   * `occurredAt`), computed where the events are (no event leaves the database).
   */
  periodTotals(scope: TenantScope, billingPeriod: string, options?: CallOptions): Promise<UsagePeriodTotals>
  /** Billing run: companies with at least one event billed in `billingPeriod`. */
  companiesWithUsage(
    scope: SystemScope,
    billingPeriod: string,
    options?: CallOptions,
  ): Promise<readonly CompanyId[]>
}
