import type { ChunkId, CompanyId, DocumentId, KnowledgeBaseId } from '../ids.js'

export interface KnowledgeBase {
  readonly id: KnowledgeBaseId
  readonly companyId: CompanyId
  readonly name: string
  readonly description: string
  /** Chunking settings applied when its documents are indexed. */
  readonly chunking: { readonly maxTokens: number; readonly overlapTokens: number }
  readonly createdAt: Date
  readonly updatedAt: Date
}

export const DOCUMENT_STATUSES = ['pending', 'indexing', 'ready', 'failed'] as const
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number]

export type DocumentSource =
  | { readonly type: 'upload'; readonly filename: string }
  | { readonly type: 'text' }
  | { readonly type: 'url'; readonly url: string }

export interface KnowledgeDocument {
  readonly id: DocumentId
  readonly companyId: CompanyId
  readonly knowledgeBaseId: KnowledgeBaseId
  readonly title: string
  readonly source: DocumentSource
  /** `text/plain`, `text/markdown`, `text/html` or `application/pdf`. */
  readonly mediaType: string
  readonly sizeBytes: number
  /** SHA-256 (hex) of the content, to spot duplicates within a knowledge base. */
  readonly sha256: string
  readonly status: DocumentStatus
  /** Why indexing failed, in words a user can act on. Null unless `failed`. */
  readonly error: string | null
  readonly chunkCount: number
  readonly tokenCount: number
  readonly createdAt: Date
  readonly updatedAt: Date
  readonly indexedAt: Date | null
}

export interface Chunk {
  readonly id: ChunkId
  readonly companyId: CompanyId
  readonly knowledgeBaseId: KnowledgeBaseId
  readonly documentId: DocumentId
  /** Position within the document, from 0. */
  readonly ordinal: number
  readonly text: string
  readonly tokenCount: number
  /** The headings above the chunk, outermost first. */
  readonly headingPath: readonly string[]
  /** 1-based page for paged sources (PDF), else null. */
  readonly page: number | null
  /** Character offsets into the extracted text of the document, half-open. */
  readonly startOffset: number
  readonly endOffset: number
}
