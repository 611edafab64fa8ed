import { createHash } from 'node:crypto'
import {
  billingPeriodOf,
  type CallOptions,
  type CompanyId,
  type NewUsageEvent,
  nextBillingPeriod,
  type Page,
  type PageRequest,
  type SystemScope,
  type TenantScope,
  type UsageEvent,
  type UsageFilter,
  type UsageGroupKey,
  type UsagePeriodTotals,
  type UsageStore,
  type UsageSummaryRow,
  usageDigestLine,
} from '@agentry/contracts'
import { throwIfAborted } from './abort.js'
import { assertOwnRow, type MemoryDatabase } from './memory-database.js'
import { compareKeys, paginate } from './memory-page.js'

/**
 * Appends the events whose ids are new and returns how many were; assigns each its billing
 * period. Shared with the turn store, whose commit appends usage in the same step.
 */
export function appendUsage(
  database: MemoryDatabase,
  scope: TenantScope,
  events: readonly NewUsageEvent[],
): number {
  let appended = 0
  const latestFinal = database.invoices
    .rows(scope.companyId)
    .filter((invoice) => invoice.status === 'final')
    .map((invoice) => invoice.period)
    .sort()
    .at(-1)
  for (const event of events) {
    if (database.usageEventIds.has(event.id)) continue
    const period = billingPeriodOf(event.occurredAt)
    const billingPeriod =
      latestFinal !== undefined && period <= latestFinal ? nextBillingPeriod(latestFinal) : period
    database.usageEvents.set(scope.companyId, event.id, { ...event, billingPeriod })
    database.usageEventIds.add(event.id)
    appended += 1
  }
  return appended
}

const GROUP_VALUE: Record<UsageGroupKey, (event: UsageEvent) => string | null> = {
  day: (event) => event.occurredAt.toISOString().slice(0, 10),
  agent: (event) => event.agentId,
  kind: (event) => event.kind,
  model: (event) => event.model,
  provider: (event) => event.provider,
  apiKey: (event) => event.apiKeyId,
}

const GROUP_FIELD = {
  day: 'day',
  agent: 'agentId',
  kind: 'kind',
  model: 'model',
  provider: 'provider',
  apiKey: 'apiKeyId',
} as const satisfies Record<UsageGroupKey, keyof UsageSummaryRow>

export class MemoryUsageStore implements UsageStore {
  constructor(private readonly database: MemoryDatabase) {}

  async append(scope: TenantScope, events: readonly NewUsageEvent[], options?: CallOptions): Promise<number> {
    throwIfAborted(options, 'Appending usage')
    for (const event of events) assertOwnRow(scope, event, 'usage event')
    if (events.length > 0) this.database.requireCompany(scope)
    return appendUsage(this.database, scope, events)
  }

  async list(
    scope: TenantScope,
    filter: UsageFilter = {},
    page?: PageRequest,
    options?: CallOptions,
  ): Promise<Page<UsageEvent>> {
    throwIfAborted(options, 'Listing usage')
    return paginate(this.#matching(scope, filter), { key: (event) => [event.id], direction: 'asc' }, page)
  }

  async summarize(
    scope: TenantScope,
    filter: UsageFilter,
    groupBy: readonly UsageGroupKey[],
    options?: CallOptions,
  ): Promise<readonly UsageSummaryRow[]> {
    throwIfAborted(options, 'Summarizing usage')
    return summarizeEvents(this.#matching(scope, filter), groupBy)
  }

  async periodTotals(
    scope: TenantScope,
    billingPeriod: string,
    options?: CallOptions,
  ): Promise<UsagePeriodTotals> {
    throwIfAborted(options, 'Totalling a billing period')
    const events = this.#matching(scope, { billingPeriod }).sort((left, right) =>
      left.id < right.id ? -1 : left.id > right.id ? 1 : 0,
    )
    const hash = createHash('sha256')
    for (const event of events) hash.update(usageDigestLine(event), 'utf8')
    const groups = summarizeEvents(events, ['kind', 'model'])
    return { billingPeriod, events: events.length, groups, digest: hash.digest('hex') }
  }

  async companiesWithUsage(
    _scope: SystemScope,
    billingPeriod: string,
    options?: CallOptions,
  ): Promise<readonly CompanyId[]> {
    throwIfAborted(options, 'Finding companies with usage')
    const companies = new Set<CompanyId>()
    for (const event of this.database.usageEvents.allRows()) {
      if (event.billingPeriod === billingPeriod) companies.add(event.companyId)
    }
    return [...companies].sort()
  }

  #matching(scope: TenantScope, filter: UsageFilter): UsageEvent[] {
    return this.database.usageEvents
      .rows(scope.companyId)
      .filter(
        (event) =>
          (filter.from === undefined || event.occurredAt >= filter.from) &&
          (filter.to === undefined || event.occurredAt < filter.to) &&
          (filter.billingPeriod === undefined || event.billingPeriod === filter.billingPeriod) &&
          (filter.kind === undefined || event.kind === filter.kind) &&
          (filter.agentId === undefined || event.agentId === filter.agentId) &&
          (filter.apiKeyId === undefined || event.apiKeyId === filter.apiKeyId),
      )
  }
}

/** Sums events per distinct combination of `groupBy`, sorted by those keys (nulls last). */
function summarizeEvents(
  events: readonly UsageEvent[],
  groupBy: readonly UsageGroupKey[],
): UsageSummaryRow[] {
  const keys = [...new Set(groupBy)]
  const groups = new Map<string, { values: (string | null)[]; row: Mutable<UsageSummaryRow> }>()
  for (const event of events) {
    const values = keys.map((key) => GROUP_VALUE[key](event))
    const id = JSON.stringify(values)
    let group = groups.get(id)
    if (!group) {
      const row: Mutable<UsageSummaryRow> = {
        events: 0,
        inputTokens: 0,
        outputTokens: 0,
        cachedInputTokens: 0,
        quantity: 0,
      }
      keys.forEach((key, index) => {
        ;(row as Record<string, unknown>)[GROUP_FIELD[key]] = values[index]
      })
      group = { values, row }
      groups.set(id, group)
    }
    group.row.events += 1
    group.row.inputTokens += event.inputTokens
    group.row.outputTokens += event.outputTokens
    group.row.cachedInputTokens += event.cachedInputTokens
    group.row.quantity += event.quantity
  }
  return [...groups.values()]
    .sort((left, right) => compareKeys(sortable(left.values), sortable(right.values)))
    .map((group) => group.row)
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** Nulls sort last, as PostgreSQL sorts them ascending. */
function sortable(values: readonly (string | null)[]): string[] {
  return values.flatMap((value) => (value === null ? ['1', ''] : ['0', value]))
}
