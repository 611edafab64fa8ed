import type {
  DocumentId,
  HttpClient,
  KnowledgeDocument,
  Permission,
  VectorStore,
  Worker,
} from '@agentry/contracts'
import { waitUntil } from '@agentry/contracts/testing'
import { createDocumentExtractor } from '@agentry/extract'
import { createLexicalEmbeddingModel, createScriptedChatModel } from '@agentry/local'
import { MemoryJobQueue, MemoryKeywordIndex, MemoryLock, MemoryVectorStore } from '@agentry/memory'
import { createHttpClient } from '@agentry/outbound'
import {
  type Agentry,
  createAgentry,
  createKnowledge,
  KB_INDEX_JOB,
  type Knowledge,
  type KnowledgeLimits,
  type RequestContext,
  StaticModelResolver,
} from '../src/index.js'
import { createTestWorld, type TestWorld, tokenizer } from './helpers.js'

export interface KnowledgeWorld extends TestWorld {
  readonly knowledge: Knowledge
  readonly vectors: MemoryVectorStore
  readonly keywords: MemoryKeywordIndex
  readonly queue: MemoryJobQueue
  /** The runtime with the knowledge retriever wired in, for turns (same stores). */
  readonly runtime: Agentry
  /** Waits until the document is `ready` or `failed` and returns it. */
  settled(context: RequestContext, id: DocumentId): Promise<KnowledgeDocument>
  /** A context of the company holding only `permissions` (an API key made by its admin). */
  keyWith(admin: RequestContext, permissions: readonly Permission[]): Promise<RequestContext>
  close(): Promise<void>
}

export interface KnowledgeWorldOptions {
  readonly limits?: Partial<KnowledgeLimits>
  /** Wraps the vector store (to make it fail on purpose). */
  readonly vectors?: (store: MemoryVectorStore) => VectorStore
  readonly http?: HttpClient
  readonly upsertBatchSize?: number
  readonly embeddingBatchSize?: number
}

/**
 * The core runtime on memory stores with the knowledge services wired as the host wires them:
 * a memory job queue running `kb.index`, the lexical embedding model, the real extractor and the
 * guarded HTTP client (loopback allowed, as tests need a local server).
 */
export function createKnowledgeWorld(options: KnowledgeWorldOptions = {}): KnowledgeWorld {
  const world = createTestWorld()
  const embeddings = createLexicalEmbeddingModel({ dimensions: 256, maxBatchSize: 8 }, { tokenizer })
  const vectors = new MemoryVectorStore({ dimensions: embeddings.dimensions })
  const keywords = new MemoryKeywordIndex()
  const queue = new MemoryJobQueue({ closeGraceMs: 1000 })
  const knowledge = createKnowledge({
    stores: world.stores,
    vectors: options.vectors ? options.vectors(vectors) : vectors,
    keywords,
    embeddings,
    extractor: createDocumentExtractor(),
    tokenizer,
    jobs: queue,
    http: options.http ?? createHttpClient({ allowLoopback: true }),
    audit: world.agentry.audit,
    limits: { indexRetryBackoffMs: 5, ...options.limits },
    indexing: {
      ...(options.upsertBatchSize ? { upsertBatchSize: options.upsertBatchSize } : {}),
      ...(options.embeddingBatchSize ? { batchSize: options.embeddingBatchSize } : {}),
    },
  })
  const worker: Worker = queue.process(KB_INDEX_JOB, knowledge.indexer.handle)
  const runtime = createAgentry({
    stores: world.stores,
    models: new StaticModelResolver([createScriptedChatModel({}, { tokenizer })]),
    lock: new MemoryLock(),
    tokenizer,
    retriever: knowledge.retriever,
    clock: world.clock,
  })
  return {
    ...world,
    knowledge,
    runtime,
    vectors,
    keywords,
    queue,
    settled: (context, id) =>
      waitUntil(
        async () => {
          const document = await knowledge.service.getDocument(context, id)
          return document.status === 'ready' || document.status === 'failed' ? document : null
        },
        { timeoutMs: 10_000, message: `document ${id} to be indexed` },
      ),
    async keyWith(admin, permissions) {
      const created = await world.agentry.apiKeys.create(admin, {
        name: `key ${permissions.join(' ')}`,
        permissions,
      })
      return { actor: await world.agentry.apiKeys.authenticate(created.key) }
    },
    async close() {
      await worker.stop()
      await queue.close()
    },
  }
}
