import type { ColumnType } from 'kysely'
import type { BigIntColumn, JsonColumn } from './database-columns.js'

type Timestamp = ColumnType<Date, Date, Date>
type NullableTimestamp = ColumnType<Date | null, Date | null, Date | null>

/** Knowledge, tools, secrets, usage, billing and audit (migrations 0002 and 0003). */
export interface KnowledgeBasesTable {
  company_id: string
  id: string
  name: string
  description: string
  chunking: JsonColumn
  created_at: Timestamp
  updated_at: Timestamp
}

export interface DocumentsTable {
  company_id: string
  id: string
  knowledge_base_id: string
  title: string
  source: JsonColumn
  media_type: string
  size_bytes: BigIntColumn
  sha256: string
  status: string
  error: string | null
  chunk_count: number
  token_count: number
  content: ColumnType<Uint8Array, Uint8Array, Uint8Array>
  created_at: Timestamp
  updated_at: Timestamp
  indexed_at: NullableTimestamp
}

export interface ChunksTable {
  company_id: string
  id: string
  knowledge_base_id: string
  document_id: string
  ordinal: number
  text: string
  token_count: number
  heading_path: JsonColumn<string[]>
  page: number | null
  start_offset: number
  end_offset: number
}

export interface ToolsTable {
  company_id: string
  id: string
  name: string
  kind: string
  description: string
  input_schema: JsonColumn
  output_schema: JsonColumn | null
  timeout_ms: number
  retry: JsonColumn
  rate_limit_per_minute: number | null
  budget: JsonColumn
  redact: JsonColumn<string[]>
  http: JsonColumn | null
  workflow: JsonColumn | null
  builtin: JsonColumn | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface ToolCallsTable {
  company_id: string
  id: string
  agent_id: string | null
  session_id: string | null
  turn_id: string | null
  tool_name: string
  tool_id: string | null
  arguments: JsonColumn
  result: JsonColumn
  status: string
  error_code: string | null
  error_message: string | null
  latency_ms: number
  created_at: Timestamp
}

export interface SecretsTable {
  company_id: string
  id: string
  name: string
  key_id: string
  ciphertext: string
  created_at: Timestamp
  updated_at: Timestamp
}

export interface UsageEventsTable {
  company_id: string
  id: string
  kind: string
  occurred_at: Timestamp
  billing_period: string
  agent_id: string | null
  session_id: string | null
  turn_id: string | null
  api_key_id: string | null
  provider: string | null
  model: string | null
  tool_name: string | null
  input_tokens: BigIntColumn
  output_tokens: BigIntColumn
  cached_input_tokens: BigIntColumn
  quantity: BigIntColumn
}

export interface PriceBooksTable {
  id: string
  plan_id: string
  version: number
  effective_from: Timestamp
  currency: string
  minor_units_per_major: number
  base_fee_micros: BigIntColumn
  prices: JsonColumn
  created_at: Timestamp
}

export interface InvoicesTable {
  company_id: string
  id: string
  period: string
  currency: string
  status: string
  lines: JsonColumn
  total: BigIntColumn
  digest: string
  price_book_id: string
  price_book_version: number
  event_count: number
  created_at: Timestamp
  finalized_at: NullableTimestamp
}

export interface QuotasTable {
  company_id: string
  id: string
  subject_key: string
  subject: JsonColumn
  metric: string
  limit: BigIntColumn
  created_at: Timestamp
  updated_at: Timestamp
}

export interface AuditLogTable {
  company_id: string
  id: string
  actor: string
  action: string
  resource_type: string
  resource_id: string | null
  details: JsonColumn
  request_id: string | null
  occurred_at: Timestamp
}
