import type {
  Chunk,
  ChunkId,
  CompanyId,
  DocumentId,
  DocumentSource,
  KnowledgeBase,
  KnowledgeBaseId,
  KnowledgeDocument,
} from '@agentry/contracts'
import type { Insertable } from 'kysely'
import type { ChunksTable, DocumentsTable, KnowledgeBasesTable } from '../database-schema.js'
import { json, type Row, toDate, toNullableDate, toNumber } from './row-values.js'

export function toKnowledgeBase(row: Row<KnowledgeBasesTable>): KnowledgeBase {
  return {
    id: row.id as KnowledgeBaseId,
    companyId: row.company_id as CompanyId,
    name: row.name,
    description: row.description,
    chunking: row.chunking as KnowledgeBase['chunking'],
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  }
}

export function knowledgeBaseRow(knowledgeBase: KnowledgeBase): Insertable<KnowledgeBasesTable> {
  return {
    company_id: knowledgeBase.companyId,
    id: knowledgeBase.id,
    name: knowledgeBase.name,
    description: knowledgeBase.description,
    chunking: json(knowledgeBase.chunking),
    created_at: knowledgeBase.createdAt,
    updated_at: knowledgeBase.updatedAt,
  }
}

/** Every document column but the content, which only `getContent` reads. */
export const DOCUMENT_COLUMNS = [
  'company_id',
  'id',
  'knowledge_base_id',
  'title',
  'source',
  'media_type',
  'size_bytes',
  'sha256',
  'status',
  'error',
  'chunk_count',
  'token_count',
  'created_at',
  'updated_at',
  'indexed_at',
] as const

export function toDocument(row: Omit<Row<DocumentsTable>, 'content'>): KnowledgeDocument {
  return {
    id: row.id as DocumentId,
    companyId: row.company_id as CompanyId,
    knowledgeBaseId: row.knowledge_base_id as KnowledgeBaseId,
    title: row.title,
    source: row.source as DocumentSource,
    mediaType: row.media_type,
    sizeBytes: toNumber(row.size_bytes),
    sha256: row.sha256,
    status: row.status as KnowledgeDocument['status'],
    error: row.error,
    chunkCount: row.chunk_count,
    tokenCount: row.token_count,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
    indexedAt: toNullableDate(row.indexed_at),
  }
}

export function documentRow(document: KnowledgeDocument, content: Uint8Array): Insertable<DocumentsTable> {
  return {
    company_id: document.companyId,
    id: document.id,
    knowledge_base_id: document.knowledgeBaseId,
    title: document.title,
    source: json(document.source),
    media_type: document.mediaType,
    size_bytes: document.sizeBytes,
    sha256: document.sha256,
    status: document.status,
    error: document.error,
    chunk_count: document.chunkCount,
    token_count: document.tokenCount,
    content,
    created_at: document.createdAt,
    updated_at: document.updatedAt,
    indexed_at: document.indexedAt,
  }
}

export function toChunk(row: Row<ChunksTable>): Chunk {
  return {
    id: row.id as ChunkId,
    companyId: row.company_id as CompanyId,
    knowledgeBaseId: row.knowledge_base_id as KnowledgeBaseId,
    documentId: row.document_id as DocumentId,
    ordinal: row.ordinal,
    text: row.text,
    tokenCount: row.token_count,
    headingPath: row.heading_path,
    page: row.page,
    startOffset: row.start_offset,
    endOffset: row.end_offset,
  }
}

export function chunkRow(chunk: Chunk): Insertable<ChunksTable> {
  return {
    company_id: chunk.companyId,
    id: chunk.id,
    knowledge_base_id: chunk.knowledgeBaseId,
    document_id: chunk.documentId,
    ordinal: chunk.ordinal,
    text: chunk.text,
    token_count: chunk.tokenCount,
    heading_path: json(chunk.headingPath),
    page: chunk.page,
    start_offset: chunk.startOffset,
    end_offset: chunk.endOffset,
  }
}
