import type { TenantScope, TurnContext, TurnLoadRequest } from '@agentry/contracts'
import { sql } from 'kysely'
import type {
  AgentsTable,
  AgentVersionsTable,
  MessagesTable,
  QuotasTable,
  SessionsTable,
  TurnsTable,
} from '../database-schema.js'
import type { Transaction } from '../postgres-unit-of-work.js'
import { toAgent, toAgentVersion } from '../rows/agent-rows.js'
import { toQuota } from '../rows/billing-rows.js'
import { toMessage, toSession, toTurn } from '../rows/conversation-rows.js'
import type { Row } from '../rows/row-values.js'

/** Used when the version's config has no `memory.maxMessages` (the config schema's default). */
const DEFAULT_HISTORY_LIMIT = 20

interface TurnContextRow {
  readonly agent: Row<AgentsTable> | null
  readonly version: Row<AgentVersionsTable> | null
  readonly session: Row<SessionsTable> | null
  readonly history: readonly Row<MessagesTable>[]
  readonly existing_turn: Row<TurnsTable> | null
  readonly quotas: readonly Row<QuotasTable>[]
}

/**
 * Everything a turn reads before its first model call, in one statement: the agent, its current
 * version, the session (only if it belongs to the agent), the newest messages up to the limit (from
 * the request or the version's `memory.maxMessages`), the completed turn holding the
 * idempotency key and the company's quotas (for the pre-call quota check). Rows travel as JSON so one result row carries them all. (CTE names end in
 * `_row` so `to_jsonb(name)` means the whole row, never a column such as `version`.)
 */
export async function loadTurnContext(
  db: Transaction,
  scope: TenantScope,
  request: TurnLoadRequest,
): Promise<TurnContext> {
  const companyId = scope.companyId
  const historyLimit =
    request.historyLimit === undefined ? null : Math.max(0, Math.trunc(request.historyLimit))
  const result = await sql<TurnContextRow>`
WITH agent_row AS (
  SELECT * FROM agents WHERE company_id = ${companyId} AND id = ${request.agentId}
), version_row AS (
  SELECT agent_versions.* FROM agent_versions JOIN agent_row
    ON agent_versions.company_id = agent_row.company_id
   AND agent_versions.agent_id = agent_row.id
   AND agent_versions.version = agent_row.current_version
), session_row AS (
  SELECT * FROM sessions
  WHERE company_id = ${companyId} AND id = ${request.sessionId ?? null}::uuid AND agent_id = ${request.agentId}
), history_row AS (
  SELECT * FROM messages
  WHERE company_id = ${companyId} AND session_id = (SELECT id FROM session_row)
  ORDER BY id DESC
  LIMIT coalesce(
    ${historyLimit}::integer,
    (SELECT (config -> 'memory' ->> 'maxMessages')::integer FROM version_row),
    ${DEFAULT_HISTORY_LIMIT}::integer
  )
), turn_row AS (
  SELECT * FROM turns
  WHERE company_id = ${companyId} AND idempotency_key = ${request.idempotencyKey ?? null}::text
    AND status = 'completed'
)
SELECT
  (SELECT to_jsonb(agent_row) FROM agent_row) AS agent,
  (SELECT to_jsonb(version_row) FROM version_row) AS version,
  (SELECT to_jsonb(session_row) FROM session_row) AS session,
  (SELECT coalesce(jsonb_agg(to_jsonb(history_row) ORDER BY history_row.id), '[]'::jsonb) FROM history_row)
    AS history,
  (SELECT to_jsonb(turn_row) FROM turn_row) AS existing_turn,
  (SELECT coalesce(jsonb_agg(to_jsonb(quota_row) ORDER BY quota_row.created_at, quota_row.id), '[]'::jsonb)
     FROM quotas AS quota_row WHERE quota_row.company_id = ${companyId}) AS quotas`.execute(db)
  const row = result.rows[0]
  if (!row) throw new Error('the turn context query returned no row')
  return {
    agent: row.agent ? toAgent(row.agent) : null,
    version: row.version ? toAgentVersion(row.version) : null,
    session: row.session ? toSession(row.session) : null,
    history: row.history.map(toMessage),
    existingTurn: row.existing_turn ? toTurn(row.existing_turn) : null,
    quotas: row.quotas.map(toQuota),
  }
}
