import type {
  CallOptions,
  Page,
  PageRequest,
  Stores,
  UsageEvent,
  UsageFilter,
  UsageGroupKey,
  UsageSummaryRow,
} from '@agentry/contracts'
import { CoreError, isBillingPeriod, USAGE_GROUP_KEYS, USAGE_KINDS } from '@agentry/contracts'
import type { RequestContext } from '../request-context.js'
import { requirePermission, scopeOf } from '../tenancy/permissions.js'

export interface UsageQuery extends UsageFilter {
  /** Keys to group by, e.g. `['day', 'agent']`; empty for one total row. */
  readonly groupBy?: readonly UsageGroupKey[]
}

/** The longest `from`..`to` range a summary may span: about 13 months. */
export const MAX_USAGE_RANGE_MS = 400 * 24 * 60 * 60 * 1000

/** Read side of metering: usage events and summaries by period, day, agent, kind and model. */
export class UsageService {
  readonly #stores: Pick<Stores, 'usage'>

  constructor(stores: Pick<Stores, 'usage'>) {
    this.#stores = stores
  }

  async summarize(
    context: RequestContext,
    query: UsageQuery,
    options?: CallOptions,
  ): Promise<readonly UsageSummaryRow[]> {
    requirePermission(context.actor, 'billing:view')
    const { groupBy = [], ...filter } = query
    const issues = [...filterIssues(filter)]
    groupBy.forEach((key, index) => {
      if (!USAGE_GROUP_KEYS.includes(key)) {
        issues.push({ path: `groupBy.${index}`, message: `must be one of ${USAGE_GROUP_KEYS.join(', ')}` })
      } else if (groupBy.indexOf(key) !== index) {
        issues.push({ path: `groupBy.${index}`, message: `"${key}" is listed twice` })
      }
    })
    throwIssues(issues)
    return this.#stores.usage.summarize(scopeOf(context), filter, groupBy, options)
  }

  async list(
    context: RequestContext,
    filter: UsageFilter = {},
    page?: PageRequest,
    options?: CallOptions,
  ): Promise<Page<UsageEvent>> {
    requirePermission(context.actor, 'billing:view')
    throwIssues(filterIssues(filter))
    return this.#stores.usage.list(scopeOf(context), filter, page, options)
  }
}

function filterIssues(filter: UsageFilter): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = []
  if (filter.billingPeriod !== undefined && !isBillingPeriod(filter.billingPeriod)) {
    issues.push({ path: 'billingPeriod', message: 'must be a month as YYYY-MM, e.g. 2026-11' })
  }
  for (const key of ['from', 'to'] as const) {
    const value = filter[key]
    if (value !== undefined && (!(value instanceof Date) || Number.isNaN(value.getTime()))) {
      issues.push({ path: key, message: 'must be a valid date' })
    }
  }
  if (filter.from && filter.to && issues.length === 0) {
    const span = filter.to.getTime() - filter.from.getTime()
    if (span <= 0) issues.push({ path: 'to', message: 'must be after from' })
    else if (span > MAX_USAGE_RANGE_MS)
      issues.push({ path: 'to', message: 'the range may span at most 400 days' })
  }
  if (filter.kind !== undefined && !USAGE_KINDS.includes(filter.kind)) {
    issues.push({ path: 'kind', message: `must be one of ${USAGE_KINDS.join(', ')}` })
  }
  return issues
}

function throwIssues(issues: readonly { path: string; message: string }[]): void {
  if (issues.length === 0) return
  throw new CoreError(
    'INVALID_INPUT',
    `Usage query is invalid: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
    {
      details: { issues },
    },
  )
}
