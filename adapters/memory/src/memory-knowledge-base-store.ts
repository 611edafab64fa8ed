import {
  type CallOptions,
  CoreError,
  type KnowledgeBase,
  type KnowledgeBaseId,
  type KnowledgeBasePatch,
  type KnowledgeBaseStore,
  type Page,
  type PageRequest,
  type TenantScope,
} from '@agentry/contracts'
import { throwIfAborted } from './abort.js'
import { assertOwnRow, type MemoryDatabase, oldestFirst } from './memory-database.js'
import { paginate } from './memory-page.js'

export class MemoryKnowledgeBaseStore implements KnowledgeBaseStore {
  constructor(private readonly database: MemoryDatabase) {}

  async create(
    scope: TenantScope,
    knowledgeBase: KnowledgeBase,
    options?: CallOptions,
  ): Promise<KnowledgeBase> {
    throwIfAborted(options, 'Creating a knowledge base')
    assertOwnRow(scope, knowledgeBase, 'knowledge base')
    this.database.requireCompany(scope)
    if (this.database.knowledgeBases.has(scope.companyId, knowledgeBase.id)) {
      throw new CoreError('CONFLICT', `Knowledge base ${knowledgeBase.id} already exists`)
    }
    this.#assertNameFree(scope, knowledgeBase.name, knowledgeBase.id)
    this.database.knowledgeBases.set(scope.companyId, knowledgeBase.id, knowledgeBase)
    return structuredClone(knowledgeBase)
  }

  async get(scope: TenantScope, id: KnowledgeBaseId, options?: CallOptions): Promise<KnowledgeBase | null> {
    throwIfAborted(options, 'Reading a knowledge base')
    return this.database.knowledgeBases.get(scope.companyId, id) ?? null
  }

  async list(scope: TenantScope, page?: PageRequest, options?: CallOptions): Promise<Page<KnowledgeBase>> {
    throwIfAborted(options, 'Listing knowledge bases')
    return paginate(this.database.knowledgeBases.rows(scope.companyId), oldestFirst<KnowledgeBase>(), page)
  }

  async update(
    scope: TenantScope,
    id: KnowledgeBaseId,
    patch: KnowledgeBasePatch,
    options?: CallOptions,
  ): Promise<KnowledgeBase | null> {
    throwIfAborted(options, 'Updating a knowledge base')
    const knowledgeBase = this.database.knowledgeBases.get(scope.companyId, id)
    if (!knowledgeBase) return null
    if (patch.name !== undefined) this.#assertNameFree(scope, patch.name, id)
    const updated: KnowledgeBase = { ...knowledgeBase, ...structuredClone(patch) }
    this.database.knowledgeBases.set(scope.companyId, id, updated)
    return structuredClone(updated)
  }

  async delete(scope: TenantScope, id: KnowledgeBaseId, options?: CallOptions): Promise<boolean> {
    throwIfAborted(options, 'Deleting a knowledge base')
    const { database } = this
    if (!database.knowledgeBases.delete(scope.companyId, id)) return false
    for (const document of database.documents.rows(scope.companyId)) {
      if (document.knowledgeBaseId !== id) continue
      database.documents.delete(scope.companyId, document.id)
      database.removeDocumentData(scope.companyId, document.id)
    }
    return true
  }

  #assertNameFree(scope: TenantScope, name: string, id: KnowledgeBaseId): void {
    const taken = this.database.knowledgeBases
      .rows(scope.companyId)
      .some((existing) => existing.name === name && existing.id !== id)
    if (taken)
      throw new CoreError('CONFLICT', `A knowledge base named "${name}" already exists: pick another name`)
  }
}
