import type {
  AgentId,
  CompanyId,
  JsonSchema,
  Secret,
  SecretId,
  SessionId,
  ToolCallId,
  ToolCallRecord,
  ToolDefinition,
  ToolId,
  TurnId,
} from '@agentry/contracts'
import type { Insertable } from 'kysely'
import type { SecretsTable, ToolCallsTable, ToolsTable } from '../database-schema.js'
import { json, type Row, toDate } from './row-values.js'

export function toTool(row: Row<ToolsTable>): ToolDefinition {
  return {
    id: row.id as ToolId,
    companyId: row.company_id as CompanyId,
    name: row.name,
    kind: row.kind as ToolDefinition['kind'],
    description: row.description,
    inputSchema: row.input_schema as JsonSchema,
    outputSchema: row.output_schema as JsonSchema | null,
    timeoutMs: row.timeout_ms,
    retry: row.retry as ToolDefinition['retry'],
    rateLimitPerMinute: row.rate_limit_per_minute,
    budget: row.budget as ToolDefinition['budget'],
    redact: row.redact,
    http: row.http as ToolDefinition['http'],
    workflow: row.workflow as ToolDefinition['workflow'],
    builtin: row.builtin as ToolDefinition['builtin'],
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  }
}

const nullableJson = (value: unknown): string | null =>
  value === null || value === undefined ? null : json(value)

/** Columns of a tool definition's fields, for inserts and patches alike. */
export function toolColumns(tool: Partial<ToolDefinition>): Partial<Insertable<ToolsTable>> {
  const columns: Partial<Insertable<ToolsTable>> = {}
  if (tool.name !== undefined) columns.name = tool.name
  if (tool.kind !== undefined) columns.kind = tool.kind
  if (tool.description !== undefined) columns.description = tool.description
  if (tool.inputSchema !== undefined) columns.input_schema = json(tool.inputSchema)
  if (tool.outputSchema !== undefined) columns.output_schema = nullableJson(tool.outputSchema)
  if (tool.timeoutMs !== undefined) columns.timeout_ms = tool.timeoutMs
  if (tool.retry !== undefined) columns.retry = json(tool.retry)
  if (tool.rateLimitPerMinute !== undefined) columns.rate_limit_per_minute = tool.rateLimitPerMinute
  if (tool.budget !== undefined) columns.budget = json(tool.budget)
  if (tool.redact !== undefined) columns.redact = json(tool.redact)
  if (tool.http !== undefined) columns.http = nullableJson(tool.http)
  if (tool.workflow !== undefined) columns.workflow = nullableJson(tool.workflow)
  if (tool.builtin !== undefined) columns.builtin = nullableJson(tool.builtin)
  if (tool.updatedAt !== undefined) columns.updated_at = tool.updatedAt
  return columns
}

export function toolRow(tool: ToolDefinition): Insertable<ToolsTable> {
  return {
    ...(toolColumns(tool) as Insertable<ToolsTable>),
    company_id: tool.companyId,
    id: tool.id,
    created_at: tool.createdAt,
  }
}

export function toToolCall(row: Row<ToolCallsTable>): ToolCallRecord {
  return {
    id: row.id as ToolCallId,
    companyId: row.company_id as CompanyId,
    agentId: row.agent_id as AgentId | null,
    sessionId: row.session_id as SessionId | null,
    turnId: row.turn_id as TurnId | null,
    toolName: row.tool_name,
    toolId: row.tool_id as ToolId | null,
    arguments: row.arguments,
    result: row.result,
    status: row.status as ToolCallRecord['status'],
    errorCode: row.error_code,
    errorMessage: row.error_message,
    latencyMs: row.latency_ms,
    createdAt: toDate(row.created_at),
  }
}

export function toolCallRow(record: ToolCallRecord): Insertable<ToolCallsTable> {
  return {
    company_id: record.companyId,
    id: record.id,
    agent_id: record.agentId,
    session_id: record.sessionId,
    turn_id: record.turnId,
    tool_name: record.toolName,
    tool_id: record.toolId,
    arguments: json(record.arguments),
    result: json(record.result),
    status: record.status,
    error_code: record.errorCode,
    error_message: record.errorMessage,
    latency_ms: record.latencyMs,
    created_at: record.createdAt,
  }
}

export function toSecret(row: Row<SecretsTable>): Secret {
  return {
    id: row.id as SecretId,
    companyId: row.company_id as CompanyId,
    name: row.name,
    value: { keyId: row.key_id, ciphertext: row.ciphertext },
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  }
}

export function secretRow(secret: Secret): Insertable<SecretsTable> {
  return {
    company_id: secret.companyId,
    id: secret.id,
    name: secret.name,
    key_id: secret.value.keyId,
    ciphertext: secret.value.ciphertext,
    created_at: secret.createdAt,
    updated_at: secret.updatedAt,
  }
}
