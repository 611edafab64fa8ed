import {
  type Agent,
  type AgentVersion,
  type ApiKey,
  type AuditEntry,
  type Chunk,
  type Company,
  type CompanyId,
  CoreError,
  type Invoice,
  type KnowledgeBase,
  type KnowledgeDocument,
  type Message,
  type PriceBook,
  type Quota,
  type Secret,
  type Session,
  type TenantScope,
  type ToolCallRecord,
  type ToolDefinition,
  type Turn,
  type UsageEvent,
  type User,
} from '@agentry/contracts'
import { TenantTable } from './tenant-table.js'

/**
 * The rows every memory store shares, so writes that span stores (a turn commit, a cascading
 * delete, billing periods that depend on finalized invoices) happen in one synchronous step and
 * are therefore atomic.
 */
export class MemoryDatabase {
  readonly companies = new Map<string, Company>()
  readonly users = new TenantTable<User>()
  readonly apiKeys = new TenantTable<ApiKey>()
  /** Platform-wide: prefix -> the key's company. */
  readonly apiKeyPrefixes = new Map<string, CompanyId>()
  readonly agents = new TenantTable<Agent>()
  /** Keyed `agentId/version`. */
  readonly agentVersions = new TenantTable<AgentVersion>()
  readonly sessions = new TenantTable<Session>()
  /** Per session, in id order. */
  readonly messages = new TenantTable<Message[]>()
  readonly turns = new TenantTable<Turn>()
  /** Idempotency key -> turn id. */
  readonly turnKeys = new TenantTable<string>()
  readonly knowledgeBases = new TenantTable<KnowledgeBase>()
  readonly documents = new TenantTable<KnowledgeDocument>()
  readonly documentContents = new TenantTable<Uint8Array>()
  readonly chunks = new TenantTable<Chunk>()
  readonly tools = new TenantTable<ToolDefinition>()
  readonly toolCalls = new TenantTable<ToolCallRecord>()
  readonly secrets = new TenantTable<Secret>()
  readonly usageEvents = new TenantTable<UsageEvent>()
  /** Platform-wide event ids: appending a known id is a no-op. */
  readonly usageEventIds = new Set<string>()
  readonly priceBooks = new Map<string, PriceBook>()
  readonly invoices = new TenantTable<Invoice>()
  readonly quotas = new TenantTable<Quota>()
  readonly audit = new TenantTable<AuditEntry>()

  /** `NOT_FOUND` unless the scope's company exists: every tenant row belongs to one. */
  requireCompany(scope: TenantScope): void {
    if (!this.companies.has(scope.companyId)) {
      throw new CoreError('NOT_FOUND', `Company ${scope.companyId} does not exist: create it first`)
    }
  }

  /** Removes a session's messages and turns (with their idempotency keys). */
  removeSessionData(companyId: CompanyId, sessionId: string): void {
    this.messages.delete(companyId, sessionId)
    for (const turn of this.turns.rows(companyId)) {
      if (turn.sessionId !== sessionId) continue
      this.turns.delete(companyId, turn.id)
      if (turn.idempotencyKey !== null) this.turnKeys.delete(companyId, turn.idempotencyKey)
    }
  }

  /** Removes a document's bytes and chunks. */
  removeDocumentData(companyId: CompanyId, documentId: string): void {
    this.documentContents.delete(companyId, documentId)
    this.chunks.deleteWhere(companyId, (chunk) => chunk.documentId === documentId)
  }
}

/** Refuses a row whose company is not the scope's: rows are only ever written into the scope. */
export function assertOwnRow(scope: TenantScope, row: { readonly companyId: CompanyId }, what: string): void {
  if (row.companyId !== scope.companyId) {
    throw new CoreError(
      'INVALID_INPUT',
      `The ${what} belongs to company ${row.companyId}, not to the scope's company ${scope.companyId}`,
    )
  }
}

export function newestFirst<T extends { readonly createdAt: Date; readonly id: string }>() {
  return { key: (row: T) => [row.createdAt.getTime(), row.id], direction: 'desc' as const }
}

export function oldestFirst<T extends { readonly createdAt: Date; readonly id: string }>() {
  return { key: (row: T) => [row.createdAt.getTime(), row.id], direction: 'asc' as const }
}
