import type { CallOptions } from '../common.js'
import type { ChunkId, CompanyId, DocumentId, KnowledgeBaseId } from '../ids.js'

export interface VectorPoint {
  readonly id: ChunkId
  readonly companyId: CompanyId
  readonly knowledgeBaseId: KnowledgeBaseId
  readonly documentId: DocumentId
  /** Length must equal the store's dimensions. */
  readonly vector: Float32Array
}

/** `companyId` is required: no query or delete ever spans companies. Empty lists match nothing. */
export interface VectorFilter {
  readonly companyId: CompanyId
  readonly knowledgeBaseIds?: readonly KnowledgeBaseId[]
  readonly documentIds?: readonly DocumentId[]
}

export interface VectorQuery {
  readonly filter: VectorFilter
  readonly vector: Float32Array
  readonly topK: number
}

export interface VectorHit {
  readonly id: ChunkId
  readonly documentId: DocumentId
  readonly knowledgeBaseId: KnowledgeBaseId
  /** Cosine similarity in [-1, 1]; higher is closer. */
  readonly score: number
}

/**
 * Stores embedded chunks and returns the nearest ones.
 * `upsert` is idempotent on `id` (a second upsert replaces vector and metadata). `query` returns at
 * most `topK` hits, best first, and never a hit from another company; approximate indexes may miss
 * a true neighbour but never return a filtered-out point. `deleteByFilter` returns how many points
 * it removed. May throw `INVALID_INPUT` (wrong dimensions), `UNAVAILABLE`, `RATE_LIMITED`.
 */
export interface VectorStore {
  readonly dimensions: number
  upsert(points: readonly VectorPoint[], options?: CallOptions): Promise<void>
  query(request: VectorQuery, options?: CallOptions): Promise<readonly VectorHit[]>
  deleteByFilter(filter: VectorFilter, options?: CallOptions): Promise<number>
  close(): Promise<void>
}
