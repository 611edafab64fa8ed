import type { Stores } from '@agentry/contracts'
import { MemoryAgentStore } from './memory-agent-store.js'
import { MemoryApiKeyStore } from './memory-api-key-store.js'
import { MemoryAuditLogStore } from './memory-audit-log-store.js'
import { MemoryChunkStore } from './memory-chunk-store.js'
import { MemoryCompanyStore } from './memory-company-store.js'
import { MemoryDatabase } from './memory-database.js'
import { MemoryDocumentStore } from './memory-document-store.js'
import { MemoryInvoiceStore } from './memory-invoice-store.js'
import { MemoryKnowledgeBaseStore } from './memory-knowledge-base-store.js'
import { MemoryPriceBookStore } from './memory-price-book-store.js'
import { MemoryQuotaStore } from './memory-quota-store.js'
import { MemorySecretStore } from './memory-secret-store.js'
import { MemorySessionStore } from './memory-session-store.js'
import { MemoryToolCallStore } from './memory-tool-call-store.js'
import { MemoryToolStore } from './memory-tool-store.js'
import { MemoryTurnStore } from './memory-turn-store.js'
import { MemoryUsageStore } from './memory-usage-store.js'
import { MemoryUserStore } from './memory-user-store.js'

/**
 * Every store over one in-process database. Rows are copied on the way in and out, so callers
 * can never change a stored row by mutating what they passed or got back. Each method runs its
 * checks and writes in one synchronous step, which makes multi-row writes atomic. Nothing is
 * durable and nothing is shared between processes.
 */
export function createMemoryStores(): Stores {
  const database = new MemoryDatabase()
  return {
    companies: new MemoryCompanyStore(database),
    users: new MemoryUserStore(database),
    apiKeys: new MemoryApiKeyStore(database),
    agents: new MemoryAgentStore(database),
    sessions: new MemorySessionStore(database),
    turns: new MemoryTurnStore(database),
    knowledgeBases: new MemoryKnowledgeBaseStore(database),
    documents: new MemoryDocumentStore(database),
    chunks: new MemoryChunkStore(database),
    tools: new MemoryToolStore(database),
    toolCalls: new MemoryToolCallStore(database),
    secrets: new MemorySecretStore(database),
    usage: new MemoryUsageStore(database),
    priceBooks: new MemoryPriceBookStore(database),
    invoices: new MemoryInvoiceStore(database),
    quotas: new MemoryQuotaStore(database),
    audit: new MemoryAuditLogStore(database),
    ping: async () => true,
    close: async () => {},
  }
}
