import type {
  CallOptions,
  Chunk,
  ChunkId,
  Clock,
  CompanyId,
  DocumentExtractor,
  DocumentId,
  EmbeddingModel,
  IdGenerator,
  JobContext,
  JobHandler,
  JsonValue,
  KeywordIndex,
  KnowledgeDocument,
  NewUsageEvent,
  Stores,
  TenantScope,
  Tokenizer,
  UsageEventId,
  VectorStore,
} from '@agentry/contracts'
import { CoreError, createUuidV7Generator, systemClock, tenantScope } from '@agentry/contracts'
import { chunkDocument } from './chunk-document.js'
import { derivedUuid } from './derived-id.js'
import { indexedText } from './indexed-text.js'

/** The job kind of document indexing. */
export const KB_INDEX_JOB = 'kb.index'

export type IndexJobPayload = { readonly documentId: string }

export interface DocumentIndexerOptions {
  /** Texts per embedding call, at most the model's `maxBatchSize`. Default: `maxBatchSize`. */
  readonly batchSize?: number
  /** Tokens per embedding call (provider request limits). Default 100,000. */
  readonly maxBatchTokens?: number
  /** Points per vector or keyword upsert. Default 256. */
  readonly upsertBatchSize?: number
}

export interface DocumentIndexerDependencies {
  readonly stores: Pick<Stores, 'knowledgeBases' | 'documents' | 'chunks' | 'usage'>
  readonly vectors: VectorStore
  readonly keywords: KeywordIndex
  readonly embeddings: EmbeddingModel
  readonly extractor: DocumentExtractor
  readonly tokenizer: Tokenizer
  readonly clock?: Clock
  readonly ids?: IdGenerator
  readonly options?: DocumentIndexerOptions
}

/**
 * The `kb.index` job: extract, chunk with the knowledge base's settings, embed in batches (each
 * batch billed as one `embedding.tokens` event), replace the chunks, replace the document's vectors
 * and keyword entries, mark it ready. Safe to run again for the same job or document: chunks are
 * replaced as a whole, the document's old vectors and keyword entries are deleted before the new
 * ones are written, and usage event ids derive from the job id and batch number, so a retried job
 * bills each batch once. A failure that will not be retried (a corrupt file, the last attempt)
 * marks the document `failed` with the reason and clears what was indexed of it.
 */
export class DocumentIndexer {
  readonly #dependencies: DocumentIndexerDependencies
  readonly #clock: Clock
  readonly #ids: IdGenerator

  constructor(dependencies: DocumentIndexerDependencies) {
    this.#dependencies = dependencies
    this.#clock = dependencies.clock ?? systemClock
    this.#ids = dependencies.ids ?? createUuidV7Generator(this.#clock)
  }

  /** The handler to register with `queue.process(KB_INDEX_JOB, ...)`. */
  readonly handle: JobHandler = (job) => this.index(job)

  /** Runs one `kb.index` job; its payload is `IndexJobPayload`. */
  async index(job: JobContext): Promise<JsonValue> {
    const payload = job.payload as Partial<IndexJobPayload> | null
    const documentId = payload?.documentId as DocumentId | undefined
    if (job.companyId === null || typeof documentId !== 'string') {
      throw new CoreError('INVALID_INPUT', 'A kb.index job needs a company and payload.documentId', {
        isRetryable: false,
      })
    }
    const scope = tenantScope(job.companyId as CompanyId)
    const options = { signal: job.signal }
    const document = await this.#dependencies.stores.documents.get(scope, documentId, options)
    if (!document) return { documentId, skipped: 'the document was deleted' }
    try {
      return await this.#index(scope, document, job, options)
    } catch (error) {
      const isRetryable = CoreError.isInstance(error) ? error.isRetryable : true
      // Stopped by a closing queue: a durable queue runs the job again later.
      if (job.signal.aborted || (isRetryable && job.attempt < job.maxAttempts)) throw error
      await this.#fail(scope, document, error, options)
      throw error
    }
  }

  async #index(
    scope: TenantScope,
    document: KnowledgeDocument,
    job: JobContext,
    options: CallOptions,
  ): Promise<JsonValue> {
    const { stores, extractor, tokenizer } = this.#dependencies
    const knowledgeBase = await stores.knowledgeBases.get(scope, document.knowledgeBaseId, options)
    if (!knowledgeBase) return { documentId: document.id, skipped: 'the knowledge base was deleted' }
    await stores.documents.updateStatus(
      scope,
      document.id,
      { status: 'indexing', error: null, updatedAt: this.#clock.now() },
      options,
    )
    const content = await stores.documents.getContent(scope, document.id, options)
    if (!content) return { documentId: document.id, skipped: 'the document was deleted' }
    const extracted = await extractor.extract(content, document.mediaType, options)
    const chunks: Chunk[] = chunkDocument(extracted, tokenizer, knowledgeBase.chunking).map((draft) => ({
      ...draft,
      id: this.#ids.next() as ChunkId,
      companyId: scope.companyId,
      knowledgeBaseId: document.knowledgeBaseId,
      documentId: document.id,
    }))
    const texts = chunks.map((chunk) => indexedText(document.title, chunk))
    const embedded = await this.#embed(scope, document, job, texts, options)
    try {
      await stores.chunks.replaceForDocument(scope, document.id, chunks, options)
    } catch (error) {
      if (CoreError.hasCode(error, 'NOT_FOUND'))
        return { documentId: document.id, skipped: 'the document was deleted' }
      throw error
    }
    await this.#replaceIndexEntries(scope, document, chunks, texts, embedded.vectors, options)
    const ready = await stores.documents.updateStatus(
      scope,
      document.id,
      {
        status: 'ready',
        error: null,
        chunkCount: chunks.length,
        tokenCount: tokenizer.count(extracted.text),
        indexedAt: this.#clock.now(),
        updatedAt: this.#clock.now(),
      },
      options,
    )
    if (!ready) {
      // Deleted while it was being indexed: what this job wrote would be orphaned.
      await this.#clearIndexEntries(scope, document.id, options)
      return { documentId: document.id, skipped: 'the document was deleted' }
    }
    return { documentId: document.id, chunks: chunks.length, embeddingTokens: embedded.tokens }
  }

  /** Embeds in batches; each batch's usage event id derives from the job and batch number. */
  async #embed(
    scope: TenantScope,
    document: KnowledgeDocument,
    job: JobContext,
    texts: readonly string[],
    options: CallOptions,
  ): Promise<{ vectors: Float32Array[]; tokens: number }> {
    const { embeddings, stores } = this.#dependencies
    const vectors: Float32Array[] = []
    let tokens = 0
    for (const [batchIndex, batch] of this.#batches(texts).entries()) {
      const result = await embeddings.embed(batch, { ...options, purpose: 'document' })
      vectors.push(...result.vectors)
      tokens += result.usage.tokens
      await stores.usage.append(
        scope,
        [this.#usageEvent(scope, document, job, batchIndex, result.usage.tokens)],
        options,
      )
    }
    return { vectors, tokens }
  }

  #batches(texts: readonly string[]): string[][] {
    const { embeddings, tokenizer, options } = this.#dependencies
    const size = Math.max(1, Math.min(options?.batchSize ?? embeddings.maxBatchSize, embeddings.maxBatchSize))
    const maxTokens = options?.maxBatchTokens ?? 100_000
    const batches: string[][] = []
    let current: string[] = []
    let currentTokens = 0
    for (const text of texts) {
      const count = tokenizer.count(text)
      if (current.length > 0 && (current.length >= size || currentTokens + count > maxTokens)) {
        batches.push(current)
        current = []
        currentTokens = 0
      }
      current.push(text)
      currentTokens += count
    }
    if (current.length > 0) batches.push(current)
    return batches
  }

  #usageEvent(
    scope: TenantScope,
    document: KnowledgeDocument,
    job: JobContext,
    batchIndex: number,
    tokens: number,
  ): NewUsageEvent {
    const { embeddings } = this.#dependencies
    return {
      id: derivedUuid(`${job.id}:${document.id}:embedding:${batchIndex}`) as UsageEventId,
      companyId: scope.companyId,
      kind: 'embedding.tokens',
      occurredAt: this.#clock.now(),
      agentId: null,
      sessionId: null,
      turnId: null,
      apiKeyId: null,
      provider: embeddings.provider,
      model: embeddings.modelId,
      toolName: null,
      inputTokens: tokens,
      outputTokens: 0,
      cachedInputTokens: 0,
      quantity: tokens,
    }
  }

  async #replaceIndexEntries(
    scope: TenantScope,
    document: KnowledgeDocument,
    chunks: readonly Chunk[],
    texts: readonly string[],
    embedded: readonly Float32Array[],
    options: CallOptions,
  ): Promise<void> {
    const { vectors, keywords, options: indexerOptions } = this.#dependencies
    await this.#clearIndexEntries(scope, document.id, options)
    const size = indexerOptions?.upsertBatchSize ?? 256
    for (let start = 0; start < chunks.length; start += size) {
      const batch = chunks.slice(start, start + size)
      const owner = (chunk: Chunk) => ({
        id: chunk.id,
        companyId: chunk.companyId,
        knowledgeBaseId: chunk.knowledgeBaseId,
        documentId: chunk.documentId,
      })
      await vectors.upsert(
        batch.map((chunk, offset) => ({ ...owner(chunk), vector: embedded[start + offset]! })),
        options,
      )
      await keywords.upsert(
        batch.map((chunk, offset) => ({ ...owner(chunk), text: texts[start + offset]! })),
        options,
      )
    }
  }

  async #clearIndexEntries(scope: TenantScope, documentId: DocumentId, options?: CallOptions): Promise<void> {
    const filter = { companyId: scope.companyId, documentIds: [documentId] }
    await this.#dependencies.vectors.deleteByFilter(filter, options)
    await this.#dependencies.keywords.deleteByFilter(filter, options)
  }

  /** A failure that will not be retried: the document says why and nothing of it stays searchable. */
  async #fail(
    scope: TenantScope,
    document: KnowledgeDocument,
    error: unknown,
    options: CallOptions,
  ): Promise<void> {
    const reason = CoreError.isInstance(error)
      ? error.message
      : `Indexing failed unexpectedly (${error instanceof Error ? error.message : String(error)}): re-index the document to try again`
    try {
      const { stores } = this.#dependencies
      const failed = await stores.documents.updateStatus(
        scope,
        document.id,
        { status: 'failed', error: reason, chunkCount: 0, tokenCount: 0, updatedAt: this.#clock.now() },
        options.signal?.aborted ? undefined : options,
      )
      if (failed) await stores.chunks.replaceForDocument(scope, document.id, [])
      await this.#clearIndexEntries(scope, document.id)
    } catch {
      // The job fails with the original error either way; a document left `indexing` can be re-indexed.
    }
  }
}
