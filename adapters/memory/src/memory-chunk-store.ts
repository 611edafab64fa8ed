import {
  type CallOptions,
  type Chunk,
  type ChunkId,
  type ChunkStore,
  CoreError,
  type DocumentId,
  type TenantScope,
} from '@agentry/contracts'
import { throwIfAborted } from './abort.js'
import { assertOwnRow, type MemoryDatabase } from './memory-database.js'

export class MemoryChunkStore implements ChunkStore {
  constructor(private readonly database: MemoryDatabase) {}

  async replaceForDocument(
    scope: TenantScope,
    documentId: DocumentId,
    chunks: readonly Chunk[],
    options?: CallOptions,
  ): Promise<void> {
    throwIfAborted(options, 'Replacing chunks')
    const document = this.database.documents.peek(scope.companyId, documentId)
    if (!document)
      throw new CoreError('NOT_FOUND', `Document ${documentId} does not exist (it may have been deleted)`)
    for (const chunk of chunks) {
      assertOwnRow(scope, chunk, 'chunk')
      if (chunk.documentId !== documentId || chunk.knowledgeBaseId !== document.knowledgeBaseId) {
        throw new CoreError('INVALID_INPUT', `Chunk ${chunk.id} does not belong to document ${documentId}`)
      }
    }
    if (new Set(chunks.map((chunk) => chunk.id)).size !== chunks.length) {
      throw new CoreError('INVALID_INPUT', 'Chunk ids must be unique')
    }
    for (const chunk of chunks) {
      const existing = this.database.chunks.peek(scope.companyId, chunk.id)
      if (existing && existing.documentId !== documentId) {
        throw new CoreError(
          'CONFLICT',
          `Chunk ${chunk.id} already belongs to document ${existing.documentId}`,
        )
      }
    }
    this.database.chunks.deleteWhere(scope.companyId, (chunk) => chunk.documentId === documentId)
    for (const chunk of chunks) this.database.chunks.set(scope.companyId, chunk.id, chunk)
  }

  async listForDocument(
    scope: TenantScope,
    documentId: DocumentId,
    options?: CallOptions,
  ): Promise<readonly Chunk[]> {
    throwIfAborted(options, 'Listing chunks')
    const chunks = this.database.chunks
      .rows(scope.companyId)
      .filter((chunk) => chunk.documentId === documentId)
    return structuredClone(chunks.sort((left, right) => left.ordinal - right.ordinal))
  }

  async getMany(
    scope: TenantScope,
    ids: readonly ChunkId[],
    options?: CallOptions,
  ): Promise<readonly Chunk[]> {
    throwIfAborted(options, 'Reading chunks')
    const found: Chunk[] = []
    for (const id of new Set(ids)) {
      const chunk = this.database.chunks.get(scope.companyId, id)
      if (chunk) found.push(chunk)
    }
    return found
  }
}
