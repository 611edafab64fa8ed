import type {
  CallOptions,
  ChatModel,
  ChatRequest,
  Clock,
  ModelReference,
  PriceBook,
  Quota,
  QuotaWarning,
  TokenUsage,
} from '@agentry/contracts'
import { billingPeriodOf, CoreError, nextBillingPeriod } from '@agentry/contracts'
import type { ModelCallBudget, TurnBudget, TurnBudgetRequest } from '../orchestrator/turn-budget.js'
import { UNLIMITED_BUDGET } from '../orchestrator/turn-budget.js'
import { formatMicros } from './money.js'
import {
  applicableQuotas,
  type QuotaMeter,
  type SubjectUsage,
  subjectKey,
  subjectLabel,
} from './quota-meter.js'

/** Warn when a quota reaches this share of its limit: 4/5 = 80%, compared in integers. */
const WARN_NUMERATOR = 4n
const WARN_DENOMINATOR = 5n

/**
 * Monthly caps per company, agent and API key, checked before every model call (docs/billing.md).
 * A turn's usage is read once when it opens (one summarize per subject with a quota; none when the
 * company has no quotas, which come with the turn's one read) and then followed in memory.
 */
export class QuotaGuard implements ModelCallBudget {
  readonly #meter: QuotaMeter
  readonly #clock: Clock

  constructor(meter: QuotaMeter, clock: Clock) {
    this.#meter = meter
    this.#clock = clock
  }

  async openTurn(request: TurnBudgetRequest, options?: CallOptions): Promise<TurnBudget> {
    const quotas = applicableQuotas(request.quotas, request.agentId, request.apiKeyId)
    if (quotas.length === 0) return UNLIMITED_BUDGET
    const now = this.#clock.now()
    const period = billingPeriodOf(now)
    const book = quotas.some((quota) => quota.metric === 'spend')
      ? await this.#meter.bookFor(request.scope, now, options)
      : null
    const subjects = new Map(quotas.map((quota) => [subjectKey(quota.subject), quota.subject]))
    const used = new Map<string, SubjectUsage>()
    await Promise.all(
      [...subjects].map(async ([key, subject]) => {
        used.set(key, await this.#meter.usageOf(request.scope, subject, period, book, options))
      }),
    )
    const budget = new QuotaTurnBudget(this.#meter, quotas, used, book, period)
    budget.refuseIfOver({ tokens: 0n, spendMicros: 0n })
    return budget
  }
}

class QuotaTurnBudget implements TurnBudget {
  readonly #inTurn = { tokens: 0n, spendMicros: 0n }
  readonly #warned = new Set<string>()

  constructor(
    readonly meter: QuotaMeter,
    readonly quotas: readonly Quota[],
    readonly used: ReadonlyMap<string, SubjectUsage>,
    readonly book: PriceBook | null,
    readonly period: string,
  ) {}

  async beforeModelCall(call: {
    readonly model: ChatModel
    readonly request: ChatRequest
  }): Promise<readonly QuotaWarning[]> {
    const inputTokens = this.meter.promptTokens(call.request)
    const outputTokens = call.request.maxOutputTokens ?? 0
    const estimate = {
      tokens: BigInt(inputTokens + outputTokens),
      spendMicros: this.book
        ? this.meter.callSpendMicros(this.book, call.model.modelId, {
            inputTokens,
            outputTokens,
            cachedInputTokens: 0,
          })
        : 0n,
    }
    this.refuseIfOver(estimate)
    const warnings: QuotaWarning[] = []
    for (const quota of this.quotas) {
      const { used, estimated } = this.#figures(quota, estimate)
      const total = used + estimated
      if (this.#warned.has(quota.id) || total * WARN_DENOMINATOR < BigInt(quota.limit) * WARN_NUMERATOR)
        continue
      this.#warned.add(quota.id)
      warnings.push({
        quotaId: quota.id,
        subject: quota.subject,
        metric: quota.metric,
        limit: quota.limit,
        used: Number(total),
        estimate: Number(estimated),
        period: this.period,
        message: `The monthly ${describe(quota, this.book)} is at ${percent(total, quota.limit)}%: ${amount(quota, total, this.book)} of ${amount(quota, BigInt(quota.limit), this.book)} used in ${this.period}, counting this call. At the limit, model calls are refused with QUOTA_EXCEEDED.`,
      })
    }
    return warnings
  }

  afterModelCall(model: ModelReference, usage: TokenUsage): void {
    this.#inTurn.tokens += BigInt(usage.inputTokens + usage.outputTokens)
    if (this.book) this.#inTurn.spendMicros += this.meter.callSpendMicros(this.book, model.model, usage)
  }

  /** Refuses when a cap is reached, or when `estimate` would pass it. */
  refuseIfOver(estimate: SubjectUsage): void {
    for (const quota of this.quotas) {
      const { used, estimated } = this.#figures(quota, estimate)
      const limit = BigInt(quota.limit)
      if (used < limit && used + estimated <= limit) continue
      const needs =
        estimated > 0n ? ` (this call needs up to ${amount(quota, estimated, this.book)} more)` : ''
      throw new CoreError(
        'QUOTA_EXCEEDED',
        `The monthly ${describe(quota, this.book)} is used up: ${amount(quota, used, this.book)} of ${amount(quota, limit, this.book)} used in ${this.period}${needs}. Raise the quota (PUT /api/v1/quotas) or wait for ${nextBillingPeriod(this.period)}.`,
        {
          details: {
            quotaId: quota.id,
            subject: { ...quota.subject },
            metric: quota.metric,
            limit: quota.limit,
            used: Number(used),
            estimate: Number(estimated),
            period: this.period,
          },
        },
      )
    }
  }

  #figures(quota: Quota, estimate: SubjectUsage): { used: bigint; estimated: bigint } {
    const stored = this.used.get(subjectKey(quota.subject)) ?? { tokens: 0n, spendMicros: 0n }
    return quota.metric === 'tokens'
      ? { used: stored.tokens + this.#inTurn.tokens, estimated: estimate.tokens }
      : { used: stored.spendMicros + this.#inTurn.spendMicros, estimated: estimate.spendMicros }
  }
}

function describe(quota: Quota, book: PriceBook | null): string {
  const what = quota.metric === 'tokens' ? 'token quota' : `spend quota (${book?.currency ?? 'micro-units'})`
  return `${what} of the ${subjectLabel(quota.subject)}`
}

function amount(quota: Quota, value: bigint, book: PriceBook | null): string {
  if (quota.metric === 'tokens') return `${value} tokens`
  return formatMicros(value, book?.currency ?? '')
}

function percent(value: bigint, limit: number): string {
  return limit === 0 ? '100' : String((value * 100n) / BigInt(limit))
}
