import type { AgentStore } from './agent-store.js'
import type { ApiKeyStore } from './api-key-store.js'
import type { AuditLogStore } from './audit-log-store.js'
import type { InvoiceStore, PriceBookStore, QuotaStore } from './billing-stores.js'
import type { ChunkStore } from './chunk-store.js'
import type { CompanyStore } from './company-store.js'
import type { DocumentStore } from './document-store.js'
import type { KnowledgeBaseStore } from './knowledge-base-store.js'
import type { SecretStore } from './secret-store.js'
import type { SessionStore } from './session-store.js'
import type { ToolCallStore } from './tool-call-store.js'
import type { ToolStore } from './tool-store.js'
import type { TurnStore } from './turn-store.js'
import type { UsageStore } from './usage-store.js'
import type { UserStore } from './user-store.js'

/**
 * Every repository of one storage adapter, sharing one database. Rows of a company are removed
 * only through the methods that say so; deleting a company is not offered.
 *
 * All stores map driver errors at the boundary: `CONFLICT` for a duplicate, `NOT_FOUND` for a
 * missing parent, `UNAVAILABLE` (retryable) when the database cannot be reached, `TIMEOUT` for a
 * statement timeout, `CANCELLED` on abort.
 */
export interface Stores {
  readonly companies: CompanyStore
  readonly users: UserStore
  readonly apiKeys: ApiKeyStore
  readonly agents: AgentStore
  readonly sessions: SessionStore
  readonly turns: TurnStore
  readonly knowledgeBases: KnowledgeBaseStore
  readonly documents: DocumentStore
  readonly chunks: ChunkStore
  readonly tools: ToolStore
  readonly toolCalls: ToolCallStore
  readonly secrets: SecretStore
  readonly usage: UsageStore
  readonly priceBooks: PriceBookStore
  readonly invoices: InvoiceStore
  readonly quotas: QuotaStore
  readonly audit: AuditLogStore
  /** True when the database answers (readiness). */
  ping(): Promise<boolean>
  close(): Promise<void>
}
