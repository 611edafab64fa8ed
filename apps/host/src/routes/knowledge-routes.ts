import type { DocumentId, KnowledgeBaseId } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import type { DocumentInput } from '@agentry/core'
import multipart from '@fastify/multipart'
import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import { data, envelope, idParams, listEnvelope, NoContent, PageQuery, page } from '../http/api-schemas.js'
import type { HostServices } from '../http/host-services.js'
import { defineArea, defineRoute } from '../http/route-definition.js'
import {
  AddDocumentBody,
  CreateKnowledgeBaseBody,
  DocumentSchema,
  documentToWire,
  KnowledgeBaseSchema,
  knowledgeBaseToWire,
  QueuedDocumentSchema,
  queuedToWire,
  SearchBody,
  SearchHitSchema,
  searchHitToWire,
  UpdateKnowledgeBaseBody,
} from './knowledge-schemas.js'

const BaseParams = idParams('knowledgeBaseId')
const DocumentParams = idParams('documentId')
const kb = (id: string) => id as KnowledgeBaseId
const doc = (id: string) => id as DocumentId

export const knowledgeRoutes = defineArea(
  'knowledge',
  [
    defineRoute({
      method: 'POST',
      url: '/knowledge-bases',
      access: 'kb:manage',
      status: 201,
      summary: 'Create a knowledge base (chunking: about 800 tokens with 15% overlap by default)',
      schema: { body: CreateKnowledgeBaseBody, response: { 201: envelope(KnowledgeBaseSchema) } },
      handler: async ({ body, context, signal }, { knowledge: { service: knowledge } }) =>
        data(knowledgeBaseToWire(await knowledge.createKnowledgeBase(context, body, { signal }))),
    }),
    defineRoute({
      method: 'GET',
      url: '/knowledge-bases',
      access: 'kb:view',
      summary: 'List knowledge bases, oldest first',
      schema: { querystring: PageQuery, response: { 200: listEnvelope(KnowledgeBaseSchema) } },
      handler: async ({ query, context, signal }, { knowledge: { service: knowledge } }) =>
        page(await knowledge.listKnowledgeBases(context, query, { signal }), knowledgeBaseToWire),
    }),
    defineRoute({
      method: 'GET',
      url: '/knowledge-bases/:knowledgeBaseId',
      access: 'kb:view',
      summary: 'Get a knowledge base',
      schema: { params: BaseParams, response: { 200: envelope(KnowledgeBaseSchema) } },
      handler: async ({ params, context, signal }, { knowledge: { service: knowledge } }) =>
        data(
          knowledgeBaseToWire(
            await knowledge.getKnowledgeBase(context, kb(params.knowledgeBaseId), { signal }),
          ),
        ),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/knowledge-bases/:knowledgeBaseId',
      access: 'kb:manage',
      summary: 'Rename, describe or change the chunking of a knowledge base',
      schema: {
        params: BaseParams,
        body: UpdateKnowledgeBaseBody,
        response: { 200: envelope(KnowledgeBaseSchema) },
      },
      handler: async ({ params, body, context, signal }, { knowledge: { service: knowledge } }) =>
        data(
          knowledgeBaseToWire(
            await knowledge.updateKnowledgeBase(context, kb(params.knowledgeBaseId), body, { signal }),
          ),
        ),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/knowledge-bases/:knowledgeBaseId',
      access: 'kb:manage',
      status: 204,
      summary: 'Delete a knowledge base with its documents, chunks, vectors and keyword entries',
      schema: { params: BaseParams, response: { 204: NoContent } },
      handler: async ({ params, context, signal }, { knowledge: { service: knowledge } }) => {
        await knowledge.deleteKnowledgeBase(context, kb(params.knowledgeBaseId), { signal })
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/knowledge-bases/:knowledgeBaseId/documents',
      access: 'kb:manage',
      status: 202,
      summary: 'Add a document from text, Markdown or a URL; it is indexed in the background',
      description:
        'The document is stored `pending` and a `kb.index` job indexes it (`indexing`, then `ready` or `failed` with the reason). URLs are fetched through the outbound guard: private, loopback and metadata addresses are refused. Files go to `/documents/upload`.',
      schema: {
        params: BaseParams,
        body: AddDocumentBody,
        response: { 202: envelope(QueuedDocumentSchema) },
      },
      handler: async ({ params, body, context, signal }, { knowledge: { service: knowledge } }) => {
        const { allowDuplicate, ...input } = body
        const queued = await knowledge.addDocument(
          context,
          kb(params.knowledgeBaseId),
          input as DocumentInput,
          {
            signal,
            ...(allowDuplicate ? { allowDuplicate } : {}),
          },
        )
        return data(queuedToWire(queued))
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/knowledge-bases/:knowledgeBaseId/documents/upload',
      access: 'kb:manage',
      status: 202,
      summary: 'Upload a file (multipart/form-data: file, optional title and allowDuplicate)',
      description:
        'Plain text, Markdown, HTML or PDF (by content type, PDF signature or file extension), up to AGENTRY_KB_MAX_DOCUMENT_BYTES. Indexed in the background like any document.',
      schema: { params: BaseParams, response: { 202: envelope(QueuedDocumentSchema) } },
      handler: async ({ params, request, context, signal }, { knowledge: { service: knowledge } }) => {
        await knowledge.assertWritable(context, kb(params.knowledgeBaseId), { signal })
        const upload = await readUpload(request, knowledge.limits.maxDocumentBytes)
        const queued = await knowledge.addDocument(
          context,
          kb(params.knowledgeBaseId),
          {
            type: 'upload',
            filename: upload.filename,
            content: upload.content,
            mediaType: upload.mediaType,
            ...(upload.title ? { title: upload.title } : {}),
          },
          { signal, allowDuplicate: upload.allowDuplicate },
        )
        return data(queuedToWire(queued))
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/knowledge-bases/:knowledgeBaseId/documents',
      access: 'kb:view',
      summary: 'List the documents of a knowledge base with their indexing status, oldest first',
      schema: { params: BaseParams, querystring: PageQuery, response: { 200: listEnvelope(DocumentSchema) } },
      handler: async ({ params, query, context, signal }, { knowledge: { service: knowledge } }) =>
        page(
          await knowledge.listDocuments(context, kb(params.knowledgeBaseId), query, { signal }),
          documentToWire,
        ),
    }),
    defineRoute({
      method: 'POST',
      url: '/knowledge-bases/:knowledgeBaseId/search',
      access: 'kb:view',
      summary: 'Show what retrieval returns for a query (passages, citations, fused and per-list ranks)',
      description:
        'Hybrid by default: vector and BM25 keyword results fused by reciprocal rank fusion; `citation.score` is the fused score normalised to 0..1. Billed as one kb.query.',
      schema: {
        params: BaseParams,
        body: SearchBody,
        response: { 200: envelope(z.object({ hits: z.array(SearchHitSchema) })) },
      },
      handler: async ({ params, body, context, signal }, { knowledge: { service: knowledge } }) => {
        const result = await knowledge.search(
          context,
          { ...body, knowledgeBaseIds: [kb(params.knowledgeBaseId)] },
          { signal },
        )
        return data({ hits: result.hits.map(searchHitToWire) })
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/documents/:documentId',
      access: 'kb:view',
      summary: 'Get a document and its indexing status (pending, indexing, ready, failed with the reason)',
      schema: { params: DocumentParams, response: { 200: envelope(DocumentSchema) } },
      handler: async ({ params, context, signal }, { knowledge: { service: knowledge } }) =>
        data(documentToWire(await knowledge.getDocument(context, doc(params.documentId), { signal }))),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/documents/:documentId',
      access: 'kb:manage',
      status: 204,
      summary: 'Delete a document with its chunks, vectors and keyword entries',
      schema: { params: DocumentParams, response: { 204: NoContent } },
      handler: async ({ params, context, signal }, { knowledge: { service: knowledge } }) => {
        await knowledge.deleteDocument(context, doc(params.documentId), { signal })
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/documents/:documentId/reindex',
      access: 'kb:manage',
      status: 202,
      summary: 'Index a document again (after a failure or a chunking change)',
      schema: { params: DocumentParams, response: { 202: envelope(QueuedDocumentSchema) } },
      handler: async ({ params, context, signal }, { knowledge: { service: knowledge } }) =>
        data(queuedToWire(await knowledge.reindexDocument(context, doc(params.documentId), { signal }))),
    }),
  ],
  // Multipart bodies are accepted by this area only; every other route stays JSON-only.
  async (app, services: HostServices) => {
    await app.register(multipart, {
      limits: {
        fileSize: services.knowledge.service.limits.maxDocumentBytes,
        files: 1,
        fields: 10,
        parts: 12,
      },
    })
  },
)

interface Upload {
  readonly filename: string
  readonly content: Uint8Array
  readonly mediaType: string | null
  readonly title: string | undefined
  readonly allowDuplicate: boolean
}

/** The one file of a multipart upload with its `title` and `allowDuplicate` fields. */
async function readUpload(request: FastifyRequest, maxBytes: number): Promise<Upload> {
  if (!request.isMultipart?.()) {
    throw new CoreError(
      'UNSUPPORTED_MEDIA_TYPE',
      'Send the file as multipart/form-data with a "file" field (text and URLs go to POST /knowledge-bases/{id}/documents as JSON).',
    )
  }
  let file: { filename: string; content: Uint8Array; mediaType: string | null } | undefined
  const fields = new Map<string, string>()
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const content = await part.toBuffer()
        file ??= { filename: part.filename || 'upload', content, mediaType: part.mimetype || null }
      } else if (typeof part.value === 'string') {
        fields.set(part.fieldname, part.value)
      }
    }
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new CoreError(
        'PAYLOAD_TOO_LARGE',
        `The file is larger than the limit of ${maxBytes} bytes: split it into smaller documents.`,
        { cause: error, details: { maxBytes } },
      )
    }
    if (CoreError.isInstance(error)) throw error
    // Anything else the multipart parser throws is a malformed body (bad boundary, cut-off part).
    throw new CoreError(
      'INVALID_INPUT',
      `The upload is not valid multipart/form-data: ${(error as Error).message}`,
      {
        cause: error,
      },
    )
  }
  if (!file) throw new CoreError('INVALID_INPUT', 'The upload has no file: send it in a "file" field.')
  const title = fields.get('title')?.trim()
  return {
    ...file,
    title: title === '' ? undefined : title,
    allowDuplicate: ['true', '1', 'yes'].includes(fields.get('allowDuplicate')?.toLowerCase() ?? ''),
  }
}
