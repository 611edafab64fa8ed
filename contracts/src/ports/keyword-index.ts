import type { CallOptions } from '../common.js'
import type { ChunkId, CompanyId, DocumentId, KnowledgeBaseId } from '../ids.js'
import type { VectorFilter } from './vector-store.js'

export interface KeywordEntry {
  readonly id: ChunkId
  readonly companyId: CompanyId
  readonly knowledgeBaseId: KnowledgeBaseId
  readonly documentId: DocumentId
  readonly text: string
}

export interface KeywordQuery {
  readonly filter: VectorFilter
  /** Free text as a user typed it; implementations parse it safely (no query syntax injection). */
  readonly text: string
  readonly topK: number
}

export interface KeywordHit {
  readonly id: ChunkId
  readonly documentId: DocumentId
  readonly knowledgeBaseId: KnowledgeBaseId
  /** Relevance, higher is better; comparable only within one result list. */
  readonly score: number
}

/**
 * Full-text search over chunks, the lexical half of hybrid retrieval. Same guarantees as
 * `VectorStore`: idempotent `upsert` on id, company filter required, best first, at most `topK`.
 * A query with no searchable terms returns no hits rather than an error.
 */
export interface KeywordIndex {
  upsert(entries: readonly KeywordEntry[], options?: CallOptions): Promise<void>
  search(query: KeywordQuery, options?: CallOptions): Promise<readonly KeywordHit[]>
  deleteByFilter(filter: VectorFilter, options?: CallOptions): Promise<number>
  close(): Promise<void>
}
