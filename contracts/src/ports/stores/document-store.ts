import type { CallOptions, Page, PageRequest } from '../../common.js'
import type { DocumentStatus, KnowledgeDocument } from '../../domain/knowledge.js'
import type { DocumentId, KnowledgeBaseId } from '../../ids.js'
import type { TenantScope } from '../../scope.js'

export interface DocumentStatusUpdate {
  readonly status: DocumentStatus
  readonly error?: string | null
  readonly chunkCount?: number
  readonly tokenCount?: number
  readonly indexedAt?: Date | null
  readonly updatedAt: Date
}

/**
 * Documents and their original bytes. `create` throws `NOT_FOUND` for a knowledge base the company
 * does not have and `CONFLICT` for an existing id.
 */
export interface DocumentStore {
  create(
    scope: TenantScope,
    document: KnowledgeDocument,
    content: Uint8Array,
    options?: CallOptions,
  ): Promise<KnowledgeDocument>
  get(scope: TenantScope, id: DocumentId, options?: CallOptions): Promise<KnowledgeDocument | null>
  getContent(scope: TenantScope, id: DocumentId, options?: CallOptions): Promise<Uint8Array | null>
  /** Oldest first. */
  list(
    scope: TenantScope,
    knowledgeBaseId: KnowledgeBaseId,
    page?: PageRequest,
    options?: CallOptions,
  ): Promise<Page<KnowledgeDocument>>
  /** Documents with this content hash in the knowledge base (duplicate detection). */
  findBySha256(
    scope: TenantScope,
    knowledgeBaseId: KnowledgeBaseId,
    sha256: string,
    options?: CallOptions,
  ): Promise<readonly KnowledgeDocument[]>
  updateStatus(
    scope: TenantScope,
    id: DocumentId,
    update: DocumentStatusUpdate,
    options?: CallOptions,
  ): Promise<KnowledgeDocument | null>
  /** Removes the document and its chunks. */
  delete(scope: TenantScope, id: DocumentId, options?: CallOptions): Promise<boolean>
}
