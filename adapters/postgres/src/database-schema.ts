import type {
  AuditLogTable,
  ChunksTable,
  DocumentsTable,
  InvoicesTable,
  KnowledgeBasesTable,
  PriceBooksTable,
  QuotasTable,
  SecretsTable,
  ToolCallsTable,
  ToolsTable,
  UsageEventsTable,
} from './knowledge-and-billing-tables.js'
import type {
  AgentsTable,
  AgentVersionsTable,
  ApiKeysTable,
  CompaniesTable,
  MessagesTable,
  SessionsTable,
  TurnsTable,
  UsersTable,
} from './tenancy-and-conversation-tables.js'

export type { BigIntColumn, JsonColumn } from './database-columns.js'
export type {
  AuditLogTable,
  ChunksTable,
  DocumentsTable,
  InvoicesTable,
  KnowledgeBasesTable,
  PriceBooksTable,
  QuotasTable,
  SecretsTable,
  ToolCallsTable,
  ToolsTable,
  UsageEventsTable,
} from './knowledge-and-billing-tables.js'
export type {
  AgentsTable,
  AgentVersionsTable,
  ApiKeysTable,
  CompaniesTable,
  MessagesTable,
  SessionsTable,
  TurnsTable,
  UsersTable,
} from './tenancy-and-conversation-tables.js'

/** The tables of `@agentry/postgres` as kysely sees them (snake_case, mapped by `rows/`). */
export interface Database {
  companies: CompaniesTable
  users: UsersTable
  api_keys: ApiKeysTable
  agents: AgentsTable
  agent_versions: AgentVersionsTable
  sessions: SessionsTable
  turns: TurnsTable
  messages: MessagesTable
  knowledge_bases: KnowledgeBasesTable
  documents: DocumentsTable
  chunks: ChunksTable
  tools: ToolsTable
  tool_calls: ToolCallsTable
  secrets: SecretsTable
  usage_events: UsageEventsTable
  price_books: PriceBooksTable
  invoices: InvoicesTable
  quotas: QuotasTable
  audit_log: AuditLogTable
}
