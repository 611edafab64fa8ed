import type { AgentId, ApiKeyId, UsageGroupKey, UsageKind, UsageSummaryRow } from '@agentry/contracts'
import { type RawBuilder, type SelectQueryBuilder, sql } from 'kysely'
import type { Database } from '../database-schema.js'

/** The SQL each group key reads, and the name it comes back under. */
const GROUP_COLUMNS: Readonly<
  Record<UsageGroupKey, { readonly alias: string; readonly expression: RawBuilder<unknown> }>
> = {
  day: { alias: 'day', expression: sql`to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')` },
  agent: { alias: 'agent_id', expression: sql.ref('agent_id') },
  kind: { alias: 'kind', expression: sql.ref('kind') },
  model: { alias: 'model', expression: sql.ref('model') },
  provider: { alias: 'provider', expression: sql.ref('provider') },
  apiKey: { alias: 'api_key_id', expression: sql.ref('api_key_id') },
}

interface SummaryRow {
  readonly day?: string
  readonly agent_id?: string | null
  readonly kind?: string
  readonly model?: string | null
  readonly provider?: string | null
  readonly api_key_id?: string | null
  readonly events: string
  readonly input_tokens: string
  readonly output_tokens: string
  readonly cached_input_tokens: string
  readonly quantity: string
}

/** Sums the filtered events per distinct combination of `groupBy`, sorted by those keys. */
export async function summarizeUsage(
  filtered: SelectQueryBuilder<Database, 'usage_events', object>,
  groupBy: readonly UsageGroupKey[],
): Promise<readonly UsageSummaryRow[]> {
  const keys = [...new Set(groupBy)].map((key) => ({ key, ...GROUP_COLUMNS[key] }))
  let query = filtered.select([
    sql<string>`count(*)`.as('events'),
    sql<string>`coalesce(sum(input_tokens), 0)`.as('input_tokens'),
    sql<string>`coalesce(sum(output_tokens), 0)`.as('output_tokens'),
    sql<string>`coalesce(sum(cached_input_tokens), 0)`.as('cached_input_tokens'),
    sql<string>`coalesce(sum(quantity), 0)`.as('quantity'),
  ])
  for (const key of keys) {
    query = query.select(key.expression.as(key.alias)).groupBy(key.expression).orderBy(key.expression)
  }
  const rows = (await query.execute()) as unknown as SummaryRow[]
  if (keys.length === 0 && rows.length === 1 && rows[0]?.events === '0') return []
  return rows.map((row) => {
    const summary: { -readonly [K in keyof UsageSummaryRow]: UsageSummaryRow[K] } = {
      events: Number(row.events),
      inputTokens: Number(row.input_tokens),
      outputTokens: Number(row.output_tokens),
      cachedInputTokens: Number(row.cached_input_tokens),
      quantity: Number(row.quantity),
    }
    for (const { key } of keys) {
      if (key === 'day') summary.day = row.day as string
      if (key === 'agent') summary.agentId = (row.agent_id ?? null) as AgentId | null
      if (key === 'kind') summary.kind = row.kind as UsageKind
      if (key === 'model') summary.model = row.model ?? null
      if (key === 'provider') summary.provider = row.provider ?? null
      if (key === 'apiKey') summary.apiKeyId = (row.api_key_id ?? null) as ApiKeyId | null
    }
    return summary
  })
}
