import type { Stores } from '@agentry/contracts'
import type { UnitOfWork } from '../postgres-unit-of-work.js'
import { PostgresAgentStore } from './postgres-agent-store.js'
import { PostgresApiKeyStore } from './postgres-api-key-store.js'
import { PostgresAuditLogStore } from './postgres-audit-log-store.js'
import { PostgresChunkStore } from './postgres-chunk-store.js'
import { PostgresCompanyStore } from './postgres-company-store.js'
import { PostgresDocumentStore } from './postgres-document-store.js'
import { PostgresInvoiceStore } from './postgres-invoice-store.js'
import { PostgresKnowledgeBaseStore } from './postgres-knowledge-base-store.js'
import { PostgresPriceBookStore } from './postgres-price-book-store.js'
import { PostgresQuotaStore } from './postgres-quota-store.js'
import { PostgresSecretStore } from './postgres-secret-store.js'
import { PostgresSessionStore } from './postgres-session-store.js'
import { PostgresToolCallStore } from './postgres-tool-call-store.js'
import { PostgresToolStore } from './postgres-tool-store.js'
import { PostgresTurnStore } from './postgres-turn-store.js'
import { PostgresUsageStore } from './postgres-usage-store.js'
import { PostgresUserStore } from './postgres-user-store.js'

/** Every store on one database. `close()` closes the database (pool and, embedded, PGlite). */
export function createPostgresStores(
  work: UnitOfWork,
  lifecycle: { readonly ping: () => Promise<boolean>; readonly close: () => Promise<void> },
): Stores {
  return {
    companies: new PostgresCompanyStore(work),
    users: new PostgresUserStore(work),
    apiKeys: new PostgresApiKeyStore(work),
    agents: new PostgresAgentStore(work),
    sessions: new PostgresSessionStore(work),
    turns: new PostgresTurnStore(work),
    knowledgeBases: new PostgresKnowledgeBaseStore(work),
    documents: new PostgresDocumentStore(work),
    chunks: new PostgresChunkStore(work),
    tools: new PostgresToolStore(work),
    toolCalls: new PostgresToolCallStore(work),
    secrets: new PostgresSecretStore(work),
    usage: new PostgresUsageStore(work),
    priceBooks: new PostgresPriceBookStore(work),
    invoices: new PostgresInvoiceStore(work),
    quotas: new PostgresQuotaStore(work),
    audit: new PostgresAuditLogStore(work),
    ping: lifecycle.ping,
    close: lifecycle.close,
  }
}
