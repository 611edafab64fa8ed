import type {
  AgentId,
  ApiKeyId,
  Citation,
  CompanyId,
  JsonValue,
  Message,
  MessageId,
  Session,
  SessionId,
  ToolCallPart,
  Turn,
  TurnId,
  TurnResult,
  UsageSummary,
} from '@agentry/contracts'
import type { Insertable } from 'kysely'
import type { MessagesTable, SessionsTable, TurnsTable } from '../database-schema.js'
import { json, type Row, toDate } from './row-values.js'

export function toSession(row: Row<SessionsTable>): Session {
  return {
    id: row.id as SessionId,
    companyId: row.company_id as CompanyId,
    agentId: row.agent_id as AgentId,
    channel: row.channel,
    externalUserId: row.external_user_id,
    summary: row.summary,
    metadata: row.metadata as Record<string, JsonValue>,
    messageCount: row.message_count,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  }
}

export function sessionRow(session: Session): Insertable<SessionsTable> {
  return {
    company_id: session.companyId,
    id: session.id,
    agent_id: session.agentId,
    channel: session.channel,
    external_user_id: session.externalUserId,
    summary: session.summary,
    metadata: json(session.metadata),
    message_count: session.messageCount,
    created_at: session.createdAt,
    updated_at: session.updatedAt,
  }
}

export function toTurn(row: Row<TurnsTable>): Turn {
  return {
    id: row.id as TurnId,
    companyId: row.company_id as CompanyId,
    sessionId: row.session_id as SessionId,
    agentId: row.agent_id as AgentId,
    agentVersion: row.agent_version,
    idempotencyKey: row.idempotency_key,
    apiKeyId: row.api_key_id as ApiKeyId | null,
    status: row.status as Turn['status'],
    result: row.result as TurnResult | null,
    error: row.error as Turn['error'],
    usage: row.usage as UsageSummary,
    createdAt: toDate(row.created_at),
    completedAt: toDate(row.completed_at),
  }
}

export function turnRow(turn: Turn): Insertable<TurnsTable> {
  return {
    company_id: turn.companyId,
    id: turn.id,
    session_id: turn.sessionId,
    agent_id: turn.agentId,
    agent_version: turn.agentVersion,
    idempotency_key: turn.idempotencyKey,
    api_key_id: turn.apiKeyId,
    status: turn.status,
    result: turn.result === null ? null : json(turn.result),
    error: turn.error === null ? null : json(turn.error),
    usage: json(turn.usage),
    created_at: turn.createdAt,
    completed_at: turn.completedAt,
  }
}

export function toMessage(row: Row<MessagesTable>): Message {
  return {
    id: row.id as MessageId,
    companyId: row.company_id as CompanyId,
    sessionId: row.session_id as SessionId,
    turnId: row.turn_id as TurnId,
    role: row.role as Message['role'],
    content: row.content,
    toolCalls: row.tool_calls as ToolCallPart[],
    toolCallId: row.tool_call_id,
    toolName: row.tool_name,
    citations: row.citations as Citation[],
    tokenCount: row.token_count,
    createdAt: toDate(row.created_at),
  }
}

export function messageRow(message: Message): Insertable<MessagesTable> {
  return {
    company_id: message.companyId,
    id: message.id,
    session_id: message.sessionId,
    turn_id: message.turnId,
    role: message.role,
    content: message.content,
    tool_calls: json(message.toolCalls),
    tool_call_id: message.toolCallId,
    tool_name: message.toolName,
    citations: json(message.citations),
    token_count: message.tokenCount,
    created_at: message.createdAt,
  }
}
