import type { ColumnType } from 'kysely'
import type { JsonColumn } from './database-columns.js'

type Timestamp = ColumnType<Date, Date, Date>
type NullableTimestamp = ColumnType<Date | null, Date | null, Date | null>

/** Companies, users, API keys, agents and conversations (migration 0001). */
export interface CompaniesTable {
  id: string
  name: string
  plan_id: string
  status: string
  created_at: Timestamp
  updated_at: Timestamp
}

export interface UsersTable {
  company_id: string
  id: string
  email: string
  name: string
  role: string
  password_hash: string
  status: string
  created_at: Timestamp
  updated_at: Timestamp
}

export interface ApiKeysTable {
  company_id: string
  id: string
  name: string
  prefix: string
  hash: string
  permissions: JsonColumn<string[]>
  expires_at: NullableTimestamp
  revoked_at: NullableTimestamp
  last_used_at: NullableTimestamp
  created_by: string | null
  created_at: Timestamp
}

export interface AgentsTable {
  company_id: string
  id: string
  name: string
  kind: string
  status: string
  current_version: number
  latest_version: number
  created_at: Timestamp
  updated_at: Timestamp
}

export interface AgentVersionsTable {
  company_id: string
  agent_id: string
  version: number
  config: JsonColumn
  author: string | null
  note: string | null
  created_at: Timestamp
}

export interface SessionsTable {
  company_id: string
  id: string
  agent_id: string
  channel: string
  external_user_id: string | null
  summary: string | null
  metadata: JsonColumn
  message_count: number
  created_at: Timestamp
  updated_at: Timestamp
}

export interface TurnsTable {
  company_id: string
  id: string
  session_id: string
  agent_id: string
  agent_version: number
  idempotency_key: string | null
  api_key_id: string | null
  status: string
  result: JsonColumn | null
  error: JsonColumn | null
  usage: JsonColumn
  created_at: Timestamp
  completed_at: Timestamp
}

export interface MessagesTable {
  company_id: string
  id: string
  session_id: string
  turn_id: string
  role: string
  content: string
  tool_calls: JsonColumn
  tool_call_id: string | null
  tool_name: string | null
  citations: JsonColumn
  token_count: number
  created_at: Timestamp
}
