import type { AgentId, ApiKeyId, CompanyId, InvoiceId, PriceBookId, QuotaId } from '../ids.js'

/** What a price applies to. Token meters take a model pattern (`gpt-4o*`, `*`). */
export const METERS = [
  'llm.input_tokens',
  'llm.output_tokens',
  'llm.cached_input_tokens',
  'tool.calls',
  'kb.queries',
  'embedding.tokens',
  'audio.seconds',
] as const
export type Meter = (typeof METERS)[number]

export interface Price {
  readonly meter: Meter
  /** Glob over the model id for token meters; `*` otherwise. The most specific match wins. */
  readonly modelPattern: string
  /** Price per `per` units, in micro-units of the currency (1 USD = 1,000,000). Integer. */
  readonly unitPriceMicros: number
  /** Units the price is quoted for (e.g. 1,000,000 tokens). Integer >= 1. */
  readonly per: number
  /** Units included each month before this price applies. */
  readonly includedQuantity: number
}

/** Versioned per plan; the version in force for a period is the latest with `effectiveFrom` <= period start. */
export interface PriceBook {
  readonly id: PriceBookId
  readonly planId: string
  readonly version: number
  readonly effectiveFrom: Date
  /** ISO 4217, e.g. `USD`; minor units are cents for USD. */
  readonly currency: string
  readonly minorUnitsPerMajor: number
  readonly baseFeeMicros: number
  readonly prices: readonly Price[]
  readonly createdAt: Date
}

export interface InvoiceLine {
  readonly meter: Meter | 'base_fee'
  readonly model: string | null
  readonly description: string
  readonly quantity: number
  readonly includedQuantity: number
  readonly billableQuantity: number
  readonly unitPriceMicros: number
  readonly per: number
  /** Integer minor units, rounded per line as docs/billing.md states. */
  readonly amount: number
}

export interface Invoice {
  readonly id: InvoiceId
  readonly companyId: CompanyId
  /** `YYYY-MM`, a UTC month, half-open. */
  readonly period: string
  readonly currency: string
  readonly status: 'draft' | 'final'
  readonly lines: readonly InvoiceLine[]
  readonly total: number
  /** SHA-256 over the sorted event ids and the price book version: recompute and compare. */
  readonly digest: string
  readonly priceBookId: PriceBookId
  readonly priceBookVersion: number
  readonly eventCount: number
  readonly createdAt: Date
  readonly finalizedAt: Date | null
}

export type QuotaSubject =
  | { readonly type: 'company' }
  | { readonly type: 'agent'; readonly agentId: AgentId }
  | { readonly type: 'api-key'; readonly apiKeyId: ApiKeyId }

/** A monthly cap, checked before each model call. */
export interface Quota {
  readonly id: QuotaId
  readonly companyId: CompanyId
  readonly subject: QuotaSubject
  /** `tokens` counts input + output tokens; `spend` counts micro-units of the plan's currency. */
  readonly metric: 'tokens' | 'spend'
  readonly limit: number
  readonly createdAt: Date
  readonly updatedAt: Date
}

/** A quota at or past 80% of its limit before a model call (`quota-warning` turn event). */
export interface QuotaWarning {
  readonly quotaId: QuotaId
  readonly subject: QuotaSubject
  readonly metric: Quota['metric']
  readonly limit: number
  /** Used in `period` before the call plus the call's estimate (tokens, or spend in micro-units). */
  readonly used: number
  /** The part of `used` that is the coming call's estimate. */
  readonly estimate: number
  readonly period: string
  /** Says which cap, how much is used and what happens at the limit. */
  readonly message: string
}

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/

/** The UTC month (`YYYY-MM`) that contains `at`. */
export function billingPeriodOf(at: Date): string {
  return at.toISOString().slice(0, 7)
}

export function isBillingPeriod(value: unknown): value is string {
  return typeof value === 'string' && PERIOD.test(value)
}

/** `[start, end)` of a period in UTC. */
export function periodRange(period: string): { readonly start: Date; readonly end: Date } {
  const match = PERIOD.exec(period)
  if (!match) throw new RangeError(`"${period}" is not a billing period (YYYY-MM)`)
  const year = Number(match[1])
  const month = Number(match[2]) - 1
  return { start: new Date(Date.UTC(year, month, 1)), end: new Date(Date.UTC(year, month + 1, 1)) }
}

export function nextBillingPeriod(period: string): string {
  return billingPeriodOf(periodRange(period).end)
}
