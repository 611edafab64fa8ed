import type {
  CallOptions,
  CompanyId,
  NewUsageEvent,
  Page,
  PageRequest,
  SystemScope,
  TenantScope,
  UsageEvent,
  UsageFilter,
  UsageGroupKey,
  UsagePeriodTotals,
  UsageStore,
  UsageSummaryRow,
} from '@agentry/contracts'
import { type SelectQueryBuilder, sql } from 'kysely'
import type { Database } from '../database-schema.js'
import { pastCursor, readKeyset, toPage } from '../keyset-page.js'
import type { UnitOfWork } from '../postgres-unit-of-work.js'
import { toUsageEvent } from '../rows/billing-rows.js'
import { usageInsertCtes } from './usage-insert-sql.js'
import { loadPeriodTotals } from './usage-period-totals-query.js'
import { summarizeUsage } from './usage-summary-query.js'

type UsageQuery<O> = SelectQueryBuilder<Database, 'usage_events', O>

/** Applies a usage filter (half-open time range and equality on the rest) to a query. */
export function filterUsage<O>(query: UsageQuery<O>, companyId: string, filter: UsageFilter): UsageQuery<O> {
  let filtered = query.where('company_id', '=', companyId)
  if (filter.from !== undefined) filtered = filtered.where('occurred_at', '>=', filter.from)
  if (filter.to !== undefined) filtered = filtered.where('occurred_at', '<', filter.to)
  if (filter.billingPeriod !== undefined)
    filtered = filtered.where('billing_period', '=', filter.billingPeriod)
  if (filter.kind !== undefined) filtered = filtered.where('kind', '=', filter.kind)
  if (filter.agentId !== undefined) filtered = filtered.where('agent_id', '=', filter.agentId)
  if (filter.apiKeyId !== undefined) filtered = filtered.where('api_key_id', '=', filter.apiKeyId)
  return filtered
}

export class PostgresUsageStore implements UsageStore {
  readonly #work: UnitOfWork

  constructor(work: UnitOfWork) {
    this.#work = work
  }

  async append(scope: TenantScope, events: readonly NewUsageEvent[], options?: CallOptions): Promise<number> {
    return this.#work.withTenant(
      scope,
      'usage append',
      async (db) => {
        if (events.length === 0) return 0
        const result = await sql<{ appended: number }>`
WITH ${usageInsertCtes(scope.companyId, events)}
SELECT count(*)::integer AS appended FROM usage_insert`.execute(db)
        return result.rows[0]?.appended ?? 0
      },
      options,
    )
  }

  async list(
    scope: TenantScope,
    filter: UsageFilter = {},
    page?: PageRequest,
    options?: CallOptions,
  ): Promise<Page<UsageEvent>> {
    const { limit, after } = readKeyset(page, 1)
    return this.#work.withTenant(
      scope,
      'usage list',
      async (db) => {
        let query = filterUsage(db.selectFrom('usage_events').selectAll(), scope.companyId, filter)
        if (after) query = query.where(pastCursor(['id'], 'asc', after))
        const rows = await query
          .orderBy('id')
          .limit(limit + 1)
          .execute()
        return toPage(rows, limit, toUsageEvent, (row) => [row.id])
      },
      options,
    )
  }

  async summarize(
    scope: TenantScope,
    filter: UsageFilter,
    groupBy: readonly UsageGroupKey[],
    options?: CallOptions,
  ): Promise<readonly UsageSummaryRow[]> {
    return this.#work.withTenant(
      scope,
      'usage summarize',
      (db) => summarizeUsage(filterUsage(db.selectFrom('usage_events'), scope.companyId, filter), groupBy),
      options,
    )
  }

  async periodTotals(
    scope: TenantScope,
    billingPeriod: string,
    options?: CallOptions,
  ): Promise<UsagePeriodTotals> {
    return this.#work.withTenant(
      scope,
      'usage period totals',
      (db) => loadPeriodTotals(db, scope.companyId, billingPeriod),
      options,
    )
  }

  async companiesWithUsage(
    scope: SystemScope,
    billingPeriod: string,
    options?: CallOptions,
  ): Promise<readonly CompanyId[]> {
    return this.#work.withSystem(
      scope,
      'usage companies with usage',
      async (db) => {
        const rows = await db
          .selectFrom('usage_events')
          .select('company_id')
          .distinct()
          .where('billing_period', '=', billingPeriod)
          .orderBy('company_id')
          .execute()
        return rows.map((row) => row.company_id as CompanyId)
      },
      options,
    )
  }
}
