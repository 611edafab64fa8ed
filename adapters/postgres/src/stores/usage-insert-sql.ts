import type { NewUsageEvent } from '@agentry/contracts'
import { type RawBuilder, sql } from 'kysely'

/**
 * The month an event bills in: its UTC month, or the month after the company's latest final
 * invoice when that month is already closed. `final_period` is a CTE of the statement.
 */
const BILLING_PERIOD_SQL = sql`
  CASE
    WHEN final_period.period IS NOT NULL
      AND to_char(event.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM') <= final_period.period
    THEN to_char(to_date(final_period.period || '-01', 'YYYY-MM-DD') + interval '1 month', 'YYYY-MM')
    ELSE to_char(event.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM')
  END`

function eventsJson(events: readonly NewUsageEvent[]): string {
  return JSON.stringify(
    events.map((event) => ({
      company_id: event.companyId,
      id: event.id,
      kind: event.kind,
      occurred_at: event.occurredAt.toISOString(),
      agent_id: event.agentId,
      session_id: event.sessionId,
      turn_id: event.turnId,
      api_key_id: event.apiKeyId,
      provider: event.provider,
      model: event.model,
      tool_name: event.toolName,
      input_tokens: event.inputTokens,
      output_tokens: event.outputTokens,
      cached_input_tokens: event.cachedInputTokens,
      quantity: event.quantity,
    })),
  )
}

/**
 * Two CTEs, `final_period` and `usage_insert`, that append `events` once each (ids already stored
 * are skipped) with their billing period; `usage_insert` returns one row per new event.
 */
export function usageInsertCtes(companyId: string, events: readonly NewUsageEvent[]): RawBuilder<unknown> {
  return sql`
final_period AS (
  SELECT max(period) AS period FROM invoices WHERE company_id = ${companyId} AND status = 'final'
),
usage_insert AS (
  INSERT INTO usage_events (
    company_id, id, kind, occurred_at, billing_period, agent_id, session_id, turn_id, api_key_id,
    provider, model, tool_name, input_tokens, output_tokens, cached_input_tokens, quantity
  )
  SELECT
    event.company_id, event.id, event.kind, event.occurred_at, ${BILLING_PERIOD_SQL}, event.agent_id,
    event.session_id, event.turn_id, event.api_key_id, event.provider, event.model, event.tool_name,
    event.input_tokens, event.output_tokens, event.cached_input_tokens, event.quantity
  FROM final_period, jsonb_to_recordset(${eventsJson(events)}::jsonb) AS event(
    company_id uuid, id uuid, kind text, occurred_at timestamptz, agent_id uuid, session_id uuid,
    turn_id uuid, api_key_id uuid, provider text, model text, tool_name text, input_tokens bigint,
    output_tokens bigint, cached_input_tokens bigint, quantity bigint
  )
  ON CONFLICT (company_id, id) DO NOTHING
  RETURNING 1
)`
}
