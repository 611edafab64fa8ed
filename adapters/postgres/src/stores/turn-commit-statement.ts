import { CoreError, type TenantScope, type TurnCommit } from '@agentry/contracts'
import { type RawBuilder, sql } from 'kysely'
import type { Transaction } from '../postgres-unit-of-work.js'
import { usageInsertCtes } from './usage-insert-sql.js'

const nullableJson = (value: unknown): string | null => (value === null ? null : JSON.stringify(value))

function messagesJson(commit: TurnCommit): string {
  return JSON.stringify(
    commit.messages.map((message) => ({
      company_id: message.companyId,
      id: message.id,
      session_id: message.sessionId,
      turn_id: message.turnId,
      role: message.role,
      content: message.content,
      tool_calls: message.toolCalls,
      tool_call_id: message.toolCallId,
      tool_name: message.toolName,
      citations: message.citations,
      token_count: message.tokenCount,
      created_at: message.createdAt.toISOString(),
    })),
  )
}

function sessionWrite(commit: TurnCommit): RawBuilder<unknown> {
  const session = commit.session
  if (commit.isNewSession) {
    return sql`
  INSERT INTO sessions (
    company_id, id, agent_id, channel, external_user_id, summary, metadata, message_count, created_at, updated_at
  ) VALUES (
    ${session.companyId}, ${session.id}, ${session.agentId}, ${session.channel}, ${session.externalUserId},
    ${session.summary}, ${JSON.stringify(session.metadata)}::jsonb, ${session.messageCount},
    ${session.createdAt}, ${session.updatedAt}
  )
  RETURNING id`
  }
  return sql`
  UPDATE sessions
  SET updated_at = ${session.updatedAt}, message_count = ${session.messageCount}, summary = ${session.summary}
  WHERE company_id = ${session.companyId} AND id = ${session.id}
  RETURNING id`
}

/**
 * Everything a finished turn writes, in one statement of data-modifying CTEs: the session (insert
 * or update), the turn, its messages and its usage (ids already stored skipped). Foreign keys are
 * checked at the end of the statement, so parents and children go in together.
 */
export async function commitTurn(db: Transaction, scope: TenantScope, commit: TurnCommit): Promise<void> {
  const turn = commit.turn
  const result = await sql<{ sessions: number }>`
WITH session_write AS (${sessionWrite(commit)}
), turn_insert AS (
  INSERT INTO turns (
    company_id, id, session_id, agent_id, agent_version, idempotency_key, api_key_id, status, result, error,
    usage, created_at, completed_at
  ) VALUES (
    ${turn.companyId}, ${turn.id}, ${turn.sessionId}, ${turn.agentId}, ${turn.agentVersion},
    ${turn.idempotencyKey}, ${turn.apiKeyId}, ${turn.status}, ${nullableJson(turn.result)}::jsonb,
    ${nullableJson(turn.error)}::jsonb, ${JSON.stringify(turn.usage)}::jsonb, ${turn.createdAt}, ${turn.completedAt}
  )
), message_insert AS (
  INSERT INTO messages (
    company_id, id, session_id, turn_id, role, content, tool_calls, tool_call_id, tool_name, citations,
    token_count, created_at
  )
  SELECT company_id, id, session_id, turn_id, role, content, tool_calls, tool_call_id, tool_name, citations,
    token_count, created_at
  FROM jsonb_to_recordset(${messagesJson(commit)}::jsonb) AS message(
    company_id uuid, id uuid, session_id uuid, turn_id uuid, role text, content text, tool_calls jsonb,
    tool_call_id text, tool_name text, citations jsonb, token_count integer, created_at timestamptz
  )
), ${usageInsertCtes(scope.companyId, commit.usageEvents)}
SELECT (SELECT count(*)::integer FROM session_write) AS sessions`.execute(db)
  if ((result.rows[0]?.sessions ?? 0) === 0) {
    throw new CoreError('NOT_FOUND', `Session ${commit.session.id} is gone: the turn was not saved`)
  }
}
