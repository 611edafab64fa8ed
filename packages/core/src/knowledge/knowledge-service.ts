import { createHash } from 'node:crypto'
import type {
  CallOptions,
  Clock,
  DocumentExtractor,
  DocumentId,
  HttpClient,
  IdGenerator,
  JobId,
  JobQueue,
  JsonValue,
  KeywordIndex,
  KnowledgeBase,
  KnowledgeBaseId,
  KnowledgeDocument,
  Page,
  PageRequest,
  Stores,
  TenantScope,
  VectorStore,
} from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import type { AuditRecorder } from '../audit/audit-recorder.js'
import type { RequestContext } from '../request-context.js'
import { requirePermission, scopeOf } from '../tenancy/permissions.js'
import { KB_INDEX_JOB } from './document-indexer.js'
import { type DocumentInput, takeDocument } from './document-intake.js'
import type { HybridRetriever, SearchRequest, SearchResult } from './hybrid-retriever.js'
import {
  type CreateKnowledgeBaseInput,
  CreateKnowledgeBaseSchema,
  documentNotFound,
  knowledgeBaseNotFound,
  nameTaken,
  parseInput,
  parseSearchInput,
  type UpdateKnowledgeBaseInput,
  UpdateKnowledgeBaseSchema,
} from './knowledge-input.js'
import { DEFAULT_KNOWLEDGE_LIMITS, type KnowledgeLimits } from './knowledge-limits.js'

export interface KnowledgeServiceDependencies {
  readonly stores: Pick<Stores, 'knowledgeBases' | 'documents'>
  readonly vectors: VectorStore
  readonly keywords: KeywordIndex
  readonly jobs: JobQueue
  /** Only its `mediaTypes` are read here: what uploads may be. */
  readonly extractor: Pick<DocumentExtractor, 'mediaTypes'>
  readonly retriever: HybridRetriever
  readonly audit: AuditRecorder
  readonly clock: Clock
  readonly ids: IdGenerator
  /** For documents from a URL: the guarded client (no private, loopback or metadata addresses). */
  readonly http?: HttpClient
  readonly limits?: Partial<KnowledgeLimits>
}

export interface AddDocumentOptions extends CallOptions {
  /** Add it even when the knowledge base has a document with the same content. */
  readonly allowDuplicate?: boolean
}

export interface QueuedDocument {
  readonly document: KnowledgeDocument
  /** The `kb.index` job; its status is also readable through the job service. */
  readonly jobId: JobId
}

export interface KnowledgeSearchInput extends Omit<SearchRequest, 'topK'> {
  readonly topK?: number
}

/**
 * Knowledge bases and their documents. Adding a document stores it `pending` and enqueues a
 * `kb.index` job (see `DocumentIndexer`); deleting one removes its chunks, vectors and keyword
 * entries. `kb:view` reads and searches, `kb:manage` changes; every change is audited.
 */
export class KnowledgeService {
  readonly #dependencies: KnowledgeServiceDependencies
  readonly #limits: KnowledgeLimits

  constructor(dependencies: KnowledgeServiceDependencies) {
    this.#dependencies = dependencies
    this.#limits = { ...DEFAULT_KNOWLEDGE_LIMITS, ...dependencies.limits }
  }

  get limits(): KnowledgeLimits {
    return this.#limits
  }

  async createKnowledgeBase(
    context: RequestContext,
    input: CreateKnowledgeBaseInput,
    options?: CallOptions,
  ): Promise<KnowledgeBase> {
    requirePermission(context.actor, 'kb:manage')
    const scope = scopeOf(context)
    const parsed = parseInput(CreateKnowledgeBaseSchema, input, 'Knowledge base')
    const now = this.#dependencies.clock.now()
    const knowledgeBase: KnowledgeBase = {
      id: this.#dependencies.ids.next() as KnowledgeBaseId,
      companyId: scope.companyId,
      ...parsed,
      createdAt: now,
      updatedAt: now,
    }
    const created = await this.#dependencies.stores.knowledgeBases
      .create(scope, knowledgeBase, options)
      .catch((error: unknown) => {
        throw CoreError.hasCode(error, 'CONFLICT') ? nameTaken(parsed.name, error) : error
      })
    await this.#record(
      scope,
      context,
      'knowledge-base.create',
      'knowledge-base',
      created.id,
      { name: created.name },
      options,
    )
    return created
  }

  async getKnowledgeBase(
    context: RequestContext,
    id: KnowledgeBaseId,
    options?: CallOptions,
  ): Promise<KnowledgeBase> {
    requirePermission(context.actor, 'kb:view')
    return this.#requireKnowledgeBase(scopeOf(context), id, options)
  }

  async listKnowledgeBases(
    context: RequestContext,
    page?: PageRequest,
    options?: CallOptions,
  ): Promise<Page<KnowledgeBase>> {
    requirePermission(context.actor, 'kb:view')
    return this.#dependencies.stores.knowledgeBases.list(scopeOf(context), page, options)
  }

  /** Name, description or chunking; new chunking applies to documents indexed from now on. */
  async updateKnowledgeBase(
    context: RequestContext,
    id: KnowledgeBaseId,
    input: UpdateKnowledgeBaseInput,
    options?: CallOptions,
  ): Promise<KnowledgeBase> {
    requirePermission(context.actor, 'kb:manage')
    const scope = scopeOf(context)
    const patch = parseInput(UpdateKnowledgeBaseSchema, input, 'Knowledge base change')
    const updated = await this.#dependencies.stores.knowledgeBases
      .update(scope, id, { ...patch, updatedAt: this.#dependencies.clock.now() }, options)
      .catch((error: unknown) => {
        throw CoreError.hasCode(error, 'CONFLICT') && patch.name ? nameTaken(patch.name, error) : error
      })
    if (!updated) throw knowledgeBaseNotFound(id)
    await this.#record(
      scope,
      context,
      'knowledge-base.update',
      'knowledge-base',
      id,
      { fields: Object.keys(patch) },
      options,
    )
    return updated
  }

  /** Removes the knowledge base with its documents, chunks, vectors and keyword entries. */
  async deleteKnowledgeBase(
    context: RequestContext,
    id: KnowledgeBaseId,
    options?: CallOptions,
  ): Promise<void> {
    requirePermission(context.actor, 'kb:manage')
    const scope = scopeOf(context)
    if (!(await this.#dependencies.stores.knowledgeBases.delete(scope, id, options)))
      throw knowledgeBaseNotFound(id)
    await this.#clearIndex(scope, { knowledgeBaseIds: [id] }, options)
    await this.#record(scope, context, 'knowledge-base.delete', 'knowledge-base', id, {}, options)
  }

  /**
   * Checks that the actor may add documents to this knowledge base (`kb:manage`, and it exists in
   * the company) before an upload's bytes are read; `addDocument` checks again.
   */
  async assertWritable(
    context: RequestContext,
    knowledgeBaseId: KnowledgeBaseId,
    options?: CallOptions,
  ): Promise<void> {
    requirePermission(context.actor, 'kb:manage')
    await this.#requireKnowledgeBase(scopeOf(context), knowledgeBaseId, options)
  }

  /**
   * Stores a document `pending` and enqueues its indexing. `CONFLICT` when the knowledge base has
   * a document with the same content (SHA-256), unless `allowDuplicate`.
   */
  async addDocument(
    context: RequestContext,
    knowledgeBaseId: KnowledgeBaseId,
    input: DocumentInput,
    options: AddDocumentOptions = {},
  ): Promise<QueuedDocument> {
    requirePermission(context.actor, 'kb:manage')
    const scope = scopeOf(context)
    const { stores, extractor, http, clock, ids } = this.#dependencies
    await this.#requireKnowledgeBase(scope, knowledgeBaseId, options)
    const taken = await takeDocument(input, extractor.mediaTypes, this.#limits, http, options)
    const sha256 = createHash('sha256').update(taken.content).digest('hex')
    if (!options.allowDuplicate) {
      const [existing] = await stores.documents.findBySha256(scope, knowledgeBaseId, sha256, options)
      if (existing) {
        throw new CoreError(
          'CONFLICT',
          `This knowledge base already has this content as document "${existing.title}" (${existing.id}): pass allowDuplicate to add it again.`,
          { details: { documentId: existing.id, sha256 } },
        )
      }
    }
    const now = clock.now()
    const document = await stores.documents.create(
      scope,
      {
        id: ids.next() as DocumentId,
        companyId: scope.companyId,
        knowledgeBaseId,
        title: taken.title,
        source: taken.source,
        mediaType: taken.mediaType,
        sizeBytes: taken.content.length,
        sha256,
        status: 'pending',
        error: null,
        chunkCount: 0,
        tokenCount: 0,
        createdAt: now,
        updatedAt: now,
        indexedAt: null,
      },
      taken.content,
      options,
    )
    const jobId = await this.#enqueue(scope, document, options)
    await this.#record(
      scope,
      context,
      'document.create',
      'document',
      document.id,
      { knowledgeBaseId, title: document.title, source: document.source.type, sizeBytes: document.sizeBytes },
      options,
    )
    return { document, jobId }
  }

  async getDocument(
    context: RequestContext,
    id: DocumentId,
    options?: CallOptions,
  ): Promise<KnowledgeDocument> {
    requirePermission(context.actor, 'kb:view')
    return this.#requireDocument(scopeOf(context), id, options)
  }

  async listDocuments(
    context: RequestContext,
    knowledgeBaseId: KnowledgeBaseId,
    page?: PageRequest,
    options?: CallOptions,
  ): Promise<Page<KnowledgeDocument>> {
    requirePermission(context.actor, 'kb:view')
    const scope = scopeOf(context)
    await this.#requireKnowledgeBase(scope, knowledgeBaseId, options)
    return this.#dependencies.stores.documents.list(scope, knowledgeBaseId, page, options)
  }

  /** Removes the document, its bytes, chunks, vectors and keyword entries. */
  async deleteDocument(context: RequestContext, id: DocumentId, options?: CallOptions): Promise<void> {
    requirePermission(context.actor, 'kb:manage')
    const scope = scopeOf(context)
    const document = await this.#requireDocument(scope, id, options)
    if (!(await this.#dependencies.stores.documents.delete(scope, id, options))) throw documentNotFound(id)
    await this.#clearIndex(scope, { documentIds: [id] }, options)
    await this.#record(scope, context, 'document.delete', 'document', id, { title: document.title }, options)
  }

  /** Indexes the document again (after a failure, or new chunking settings); its old chunks stay until then. */
  async reindexDocument(
    context: RequestContext,
    id: DocumentId,
    options?: CallOptions,
  ): Promise<QueuedDocument> {
    requirePermission(context.actor, 'kb:manage')
    const scope = scopeOf(context)
    await this.#requireDocument(scope, id, options)
    const document = await this.#dependencies.stores.documents.updateStatus(
      scope,
      id,
      { status: 'pending', error: null, updatedAt: this.#dependencies.clock.now() },
      options,
    )
    if (!document) throw documentNotFound(id)
    const jobId = await this.#enqueue(scope, document, options)
    await this.#record(scope, context, 'document.reindex', 'document', id, {}, options)
    return { document, jobId }
  }

  /** What retrieval returns for a query in the given knowledge bases (billed as one `kb.query`). */
  async search(
    context: RequestContext,
    input: KnowledgeSearchInput,
    options?: CallOptions,
  ): Promise<SearchResult> {
    requirePermission(context.actor, 'kb:view')
    const scope = scopeOf(context)
    const { query, topK } = parseSearchInput(input, this.#limits.maxSearchTopK)
    for (const id of new Set(input.knowledgeBaseIds)) await this.#requireKnowledgeBase(scope, id, options)
    return this.#dependencies.retriever.search(scope, { ...input, query, topK }, options)
  }

  async #enqueue(
    scope: TenantScope,
    document: KnowledgeDocument,
    options: CallOptions | undefined,
  ): Promise<JobId> {
    try {
      const job = await this.#dependencies.jobs.enqueue(
        { kind: KB_INDEX_JOB, companyId: scope.companyId, payload: { documentId: document.id } },
        {
          attempts: this.#limits.indexAttempts,
          backoffMs: this.#limits.indexRetryBackoffMs,
          ...(options?.signal ? { signal: options.signal } : {}),
        },
      )
      return job.id
    } catch (error) {
      const reason = CoreError.isInstance(error) ? error.message : String(error)
      await this.#dependencies.stores.documents.updateStatus(scope, document.id, {
        status: 'failed',
        error: `Indexing could not be queued (${reason}): re-index the document.`,
        updatedAt: this.#dependencies.clock.now(),
      })
      throw error
    }
  }

  async #clearIndex(
    scope: TenantScope,
    filter: {
      readonly knowledgeBaseIds?: readonly KnowledgeBaseId[]
      readonly documentIds?: readonly DocumentId[]
    },
    options: CallOptions | undefined,
  ): Promise<void> {
    await this.#dependencies.vectors.deleteByFilter({ companyId: scope.companyId, ...filter }, options)
    await this.#dependencies.keywords.deleteByFilter({ companyId: scope.companyId, ...filter }, options)
  }

  async #requireKnowledgeBase(
    scope: TenantScope,
    id: KnowledgeBaseId,
    options: CallOptions | undefined,
  ): Promise<KnowledgeBase> {
    const knowledgeBase = await this.#dependencies.stores.knowledgeBases.get(scope, id, options)
    if (!knowledgeBase) throw knowledgeBaseNotFound(id)
    return knowledgeBase
  }

  async #requireDocument(scope: TenantScope, id: DocumentId, options: CallOptions | undefined) {
    const document = await this.#dependencies.stores.documents.get(scope, id, options)
    if (!document) throw documentNotFound(id)
    return document
  }

  #record(
    scope: TenantScope,
    context: RequestContext,
    action: string,
    resourceType: string,
    resourceId: string,
    details: Readonly<Record<string, JsonValue>>,
    options: CallOptions | undefined,
  ): Promise<void> {
    return this.#dependencies.audit.record(
      scope,
      context,
      { action, resourceType, resourceId, details },
      options,
    )
  }
}
