import type { UsageKind, UsagePeriodTotals, UsageSummaryRow } from '@agentry/contracts'
import { sql } from 'kysely'
import type { Transaction } from '../postgres-unit-of-work.js'

interface PeriodGroupRow {
  readonly kind: string
  readonly model: string | null
  readonly events: string
  readonly input_tokens: string
  readonly output_tokens: string
  readonly cached_input_tokens: string
  readonly quantity: string
}

interface PeriodTotalsRow {
  readonly events: string
  readonly digest: string
  readonly groups: readonly PeriodGroupRow[]
}

/**
 * The period's sums per kind and model and its digest, in one statement (one snapshot). The digest
 * line is `usageDigestLine` from the contracts, written in SQL; sums travel as text so no bigint is
 * rounded on the way.
 */
export async function loadPeriodTotals(
  db: Transaction,
  companyId: string,
  billingPeriod: string,
): Promise<UsagePeriodTotals> {
  const result = await sql<PeriodTotalsRow>`
WITH period_event AS (
  SELECT id, kind, model, input_tokens, output_tokens, cached_input_tokens, quantity
  FROM usage_events
  WHERE company_id = ${companyId} AND billing_period = ${billingPeriod}
), period_group AS (
  SELECT kind, model, count(*) AS events, sum(input_tokens) AS input_tokens,
    sum(output_tokens) AS output_tokens, sum(cached_input_tokens) AS cached_input_tokens,
    sum(quantity) AS quantity
  FROM period_event
  GROUP BY kind, model
)
SELECT
  (SELECT count(*) FROM period_event)::text AS events,
  (SELECT encode(sha256(convert_to(coalesce(string_agg(
      id::text || '|' || kind || '|' || coalesce(model, '') || '|' || input_tokens::text || '|' ||
      output_tokens::text || '|' || cached_input_tokens::text || '|' || quantity::text || E'\\n',
      '' ORDER BY id), ''), 'UTF8')), 'hex') FROM period_event) AS digest,
  (SELECT coalesce(jsonb_agg(jsonb_build_object(
      'kind', kind, 'model', model, 'events', events::text, 'input_tokens', input_tokens::text,
      'output_tokens', output_tokens::text, 'cached_input_tokens', cached_input_tokens::text,
      'quantity', quantity::text) ORDER BY kind, model), '[]'::jsonb) FROM period_group) AS groups`.execute(
    db,
  )
  const row = result.rows[0]
  if (!row) throw new Error('the period totals query returned no row')
  return {
    billingPeriod,
    events: Number(row.events),
    digest: row.digest,
    groups: row.groups.map(
      (group): UsageSummaryRow => ({
        kind: group.kind as UsageKind,
        model: group.model,
        events: Number(group.events),
        inputTokens: Number(group.input_tokens),
        outputTokens: Number(group.output_tokens),
        cachedInputTokens: Number(group.cached_input_tokens),
        quantity: Number(group.quantity),
      }),
    ),
  }
}
