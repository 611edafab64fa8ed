import {
  type CallOptions,
  CoreError,
  type DocumentId,
  type DocumentStatusUpdate,
  type DocumentStore,
  type KnowledgeBaseId,
  type KnowledgeDocument,
  type Page,
  type PageRequest,
  type TenantScope,
} from '@agentry/contracts'
import { throwIfAborted } from './abort.js'
import { assertOwnRow, type MemoryDatabase, oldestFirst } from './memory-database.js'
import { paginate } from './memory-page.js'

export class MemoryDocumentStore implements DocumentStore {
  constructor(private readonly database: MemoryDatabase) {}

  async create(
    scope: TenantScope,
    document: KnowledgeDocument,
    content: Uint8Array,
    options?: CallOptions,
  ): Promise<KnowledgeDocument> {
    throwIfAborted(options, 'Creating a document')
    assertOwnRow(scope, document, 'document')
    if (!this.database.knowledgeBases.has(scope.companyId, document.knowledgeBaseId)) {
      throw new CoreError('NOT_FOUND', `Knowledge base ${document.knowledgeBaseId} does not exist`)
    }
    if (this.database.documents.has(scope.companyId, document.id)) {
      throw new CoreError('CONFLICT', `Document ${document.id} already exists`)
    }
    this.database.documents.set(scope.companyId, document.id, document)
    this.database.documentContents.set(scope.companyId, document.id, content)
    return structuredClone(document)
  }

  async get(scope: TenantScope, id: DocumentId, options?: CallOptions): Promise<KnowledgeDocument | null> {
    throwIfAborted(options, 'Reading a document')
    return this.database.documents.get(scope.companyId, id) ?? null
  }

  async getContent(scope: TenantScope, id: DocumentId, options?: CallOptions): Promise<Uint8Array | null> {
    throwIfAborted(options, 'Reading document content')
    return this.database.documentContents.get(scope.companyId, id) ?? null
  }

  async list(
    scope: TenantScope,
    knowledgeBaseId: KnowledgeBaseId,
    page?: PageRequest,
    options?: CallOptions,
  ): Promise<Page<KnowledgeDocument>> {
    throwIfAborted(options, 'Listing documents')
    const documents = this.#inBase(scope, knowledgeBaseId)
    return paginate(documents, oldestFirst<KnowledgeDocument>(), page)
  }

  async findBySha256(
    scope: TenantScope,
    knowledgeBaseId: KnowledgeBaseId,
    sha256: string,
    options?: CallOptions,
  ): Promise<readonly KnowledgeDocument[]> {
    throwIfAborted(options, 'Finding documents by hash')
    return structuredClone(
      this.#inBase(scope, knowledgeBaseId).filter((document) => document.sha256 === sha256),
    )
  }

  async updateStatus(
    scope: TenantScope,
    id: DocumentId,
    update: DocumentStatusUpdate,
    options?: CallOptions,
  ): Promise<KnowledgeDocument | null> {
    throwIfAborted(options, 'Updating a document status')
    const document = this.database.documents.get(scope.companyId, id)
    if (!document) return null
    const defined = Object.fromEntries(Object.entries(update).filter(([, value]) => value !== undefined))
    const updated: KnowledgeDocument = { ...document, ...structuredClone(defined) }
    this.database.documents.set(scope.companyId, id, updated)
    return structuredClone(updated)
  }

  async delete(scope: TenantScope, id: DocumentId, options?: CallOptions): Promise<boolean> {
    throwIfAborted(options, 'Deleting a document')
    if (!this.database.documents.delete(scope.companyId, id)) return false
    this.database.removeDocumentData(scope.companyId, id)
    return true
  }

  #inBase(scope: TenantScope, knowledgeBaseId: KnowledgeBaseId): KnowledgeDocument[] {
    return this.database.documents
      .rows(scope.companyId)
      .filter((document) => document.knowledgeBaseId === knowledgeBaseId)
  }
}
