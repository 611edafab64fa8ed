import type { CallOptions } from '../../common.js'
import type { Chunk } from '../../domain/knowledge.js'
import type { ChunkId, DocumentId } from '../../ids.js'
import type { TenantScope } from '../../scope.js'

/** Chunk text and positions, the source of citations. */
export interface ChunkStore {
  /**
   * Atomically replaces all chunks of a document with `chunks` (re-indexing, a retried job): after
   * it, exactly these chunks exist for the document. `NOT_FOUND` when the document is gone.
   */
  replaceForDocument(
    scope: TenantScope,
    documentId: DocumentId,
    chunks: readonly Chunk[],
    options?: CallOptions,
  ): Promise<void>
  /** In `ordinal` order. */
  listForDocument(
    scope: TenantScope,
    documentId: DocumentId,
    options?: CallOptions,
  ): Promise<readonly Chunk[]>
  /** The chunks among `ids` the company has, in no particular order. */
  getMany(scope: TenantScope, ids: readonly ChunkId[], options?: CallOptions): Promise<readonly Chunk[]>
}
