import type { KnowledgeBase, KnowledgeDocument } from '@agentry/contracts'
import { DOCUMENT_STATUSES } from '@agentry/contracts'
import type { QueuedDocument, SearchHit } from '@agentry/core'
import { z } from 'zod'
import { iso, isoOrNull, Timestamp } from '../http/api-schemas.js'
import { CitationSchema } from './chat-schemas.js'

const Chunking = z
  .object({
    maxTokens: z.number().int().min(50).max(8000).describe('Tokens per chunk (default 800).'),
    overlapTokens: z
      .number()
      .int()
      .min(0)
      .max(4000)
      .optional()
      .describe('Tokens repeated from the previous chunk; at most half of maxTokens (default 15%).'),
  })
  .strict()

export const CreateKnowledgeBaseBody = z
  .object({
    name: z.string().trim().min(1).max(120),
    description: z.string().trim().max(2000).optional(),
    chunking: Chunking.optional(),
  })
  .strict()

export const UpdateKnowledgeBaseBody = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    description: z.string().trim().max(2000).optional(),
    chunking: Chunking.optional().describe('Applies to documents indexed from now on: re-index to apply it.'),
  })
  .strict()

const AllowDuplicate = z
  .boolean()
  .optional()
  .describe('Add it even when the knowledge base has a document with the same content (else 409).')
const Title = z.string().trim().min(1).max(200).optional()

export const AddDocumentBody = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('text'),
      text: z.string().min(1),
      format: z.enum(['text', 'markdown']).optional().describe('Markdown keeps headings as a breadcrumb.'),
      title: Title.describe('Default: the first line.'),
      allowDuplicate: AllowDuplicate,
    })
    .strict(),
  z
    .object({
      type: z.literal('url'),
      url: z.url({ protocol: /^https?$/ }).max(2000),
      title: Title.describe('Default: the last part of the URL.'),
      allowDuplicate: AllowDuplicate,
    })
    .strict(),
])

export const SearchBody = z
  .object({
    query: z.string().trim().min(1).max(4000),
    topK: z.number().int().min(1).max(100).optional().describe('Passages to return (default 10).'),
    mode: z.enum(['hybrid', 'vector', 'keyword']).optional().describe('Default hybrid.'),
    minScore: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe('Drop passages whose fused score (0..1) is lower.'),
  })
  .strict()

export const KnowledgeBaseSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    chunking: z.object({ maxTokens: z.number().int(), overlapTokens: z.number().int() }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'KnowledgeBase' })

export const DocumentSchema = z
  .object({
    id: z.string(),
    knowledgeBaseId: z.string(),
    title: z.string(),
    source: z.discriminatedUnion('type', [
      z.object({ type: z.literal('upload'), filename: z.string() }),
      z.object({ type: z.literal('text') }),
      z.object({ type: z.literal('url'), url: z.string() }),
    ]),
    mediaType: z.string(),
    sizeBytes: z.number().int(),
    sha256: z.string(),
    status: z.enum(DOCUMENT_STATUSES),
    error: z.string().nullable().describe('Why indexing failed, when status is failed.'),
    chunkCount: z.number().int(),
    tokenCount: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    indexedAt: Timestamp.nullable(),
  })
  .meta({ id: 'KnowledgeDocument' })

export const QueuedDocumentSchema = z
  .object({
    document: DocumentSchema,
    jobId: z.string().describe('The kb.index job (GET /jobs/{jobId}); poll the document for its status.'),
  })
  .meta({ id: 'QueuedDocument' })

const Rank = z.object({ rank: z.number().int(), score: z.number() })

export const SearchHitSchema = z
  .object({
    title: z.string().describe('Document title and heading breadcrumb.'),
    text: z.string(),
    citation: CitationSchema,
    ranks: z
      .object({ vector: Rank.optional(), keyword: Rank.optional() })
      .describe('Where each list ranked the passage before fusion (raw cosine and BM25 scores).'),
  })
  .meta({ id: 'SearchHit' })

export function knowledgeBaseToWire(base: KnowledgeBase): z.input<typeof KnowledgeBaseSchema> {
  return {
    id: base.id,
    name: base.name,
    description: base.description,
    chunking: { ...base.chunking },
    createdAt: iso(base.createdAt),
    updatedAt: iso(base.updatedAt),
  }
}

export function documentToWire(document: KnowledgeDocument): z.input<typeof DocumentSchema> {
  return {
    id: document.id,
    knowledgeBaseId: document.knowledgeBaseId,
    title: document.title,
    source: { ...document.source },
    mediaType: document.mediaType,
    sizeBytes: document.sizeBytes,
    sha256: document.sha256,
    status: document.status,
    error: document.error,
    chunkCount: document.chunkCount,
    tokenCount: document.tokenCount,
    createdAt: iso(document.createdAt),
    updatedAt: iso(document.updatedAt),
    indexedAt: isoOrNull(document.indexedAt),
  }
}

export function queuedToWire(queued: QueuedDocument): z.input<typeof QueuedDocumentSchema> {
  return { document: documentToWire(queued.document), jobId: queued.jobId }
}

export function searchHitToWire(hit: SearchHit): z.input<typeof SearchHitSchema> {
  return { title: hit.title, text: hit.text, citation: { ...hit.citation }, ranks: { ...hit.ranks } }
}
