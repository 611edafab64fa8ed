import type {
  Clock,
  DocumentExtractor,
  EmbeddingModel,
  HttpClient,
  IdGenerator,
  JobQueue,
  KeywordIndex,
  Stores,
  Tokenizer,
  VectorStore,
} from '@agentry/contracts'
import { CoreError, createUuidV7Generator, systemClock } from '@agentry/contracts'
import { AuditRecorder } from '../audit/audit-recorder.js'
import { DocumentIndexer, type DocumentIndexerOptions } from './document-indexer.js'
import { HybridRetriever, type HybridRetrieverOptions } from './hybrid-retriever.js'
import type { KnowledgeLimits } from './knowledge-limits.js'
import { KnowledgeService } from './knowledge-service.js'

export interface KnowledgeDependencies {
  readonly stores: Stores
  readonly vectors: VectorStore
  readonly keywords: KeywordIndex
  readonly embeddings: EmbeddingModel
  readonly extractor: DocumentExtractor
  readonly tokenizer: Tokenizer
  readonly jobs: JobQueue
  /** The guarded outbound client, for documents from a URL; without it URL ingestion is `UNAVAILABLE`. */
  readonly http?: HttpClient
  /** Share the runtime's recorder (`agentry.audit`); one on `stores.audit` otherwise. */
  readonly audit?: AuditRecorder
  readonly clock?: Clock
  readonly ids?: IdGenerator
  readonly limits?: Partial<KnowledgeLimits>
  readonly retrieval?: HybridRetrieverOptions
  readonly indexing?: DocumentIndexerOptions
}

/** The knowledge base runtime: the service (API), the `kb.index` handler and the turn retriever. */
export interface Knowledge {
  readonly service: KnowledgeService
  readonly indexer: DocumentIndexer
  /** Pass to `createAgentry({ retriever })` so turns of agents with knowledge bases retrieve. */
  readonly retriever: HybridRetriever
}

/**
 * Wires the knowledge services over one set of ports. The vector store's dimensions must equal the
 * embedding model's (`INVALID_INPUT` otherwise, at once rather than at the first upload).
 */
export function createKnowledge(dependencies: KnowledgeDependencies): Knowledge {
  const { stores, vectors, keywords, embeddings } = dependencies
  if (vectors.dimensions !== embeddings.dimensions) {
    throw new CoreError(
      'INVALID_INPUT',
      `The vector store holds ${vectors.dimensions} dimensions but the embedding model ${embeddings.provider}/${embeddings.modelId} gives ${embeddings.dimensions}: configure them alike.`,
      { details: { vectorDimensions: vectors.dimensions, embeddingDimensions: embeddings.dimensions } },
    )
  }
  const clock = dependencies.clock ?? systemClock
  const ids = dependencies.ids ?? createUuidV7Generator(clock)
  const retriever = new HybridRetriever({
    stores,
    vectors,
    keywords,
    embeddings,
    clock,
    ids,
    ...(dependencies.retrieval ? { options: dependencies.retrieval } : {}),
  })
  const indexer = new DocumentIndexer({
    stores,
    vectors,
    keywords,
    embeddings,
    extractor: dependencies.extractor,
    tokenizer: dependencies.tokenizer,
    clock,
    ids,
    ...(dependencies.indexing ? { options: dependencies.indexing } : {}),
  })
  const service = new KnowledgeService({
    stores,
    vectors,
    keywords,
    jobs: dependencies.jobs,
    extractor: dependencies.extractor,
    retriever,
    audit: dependencies.audit ?? new AuditRecorder(stores.audit, clock, ids),
    clock,
    ids,
    ...(dependencies.http ? { http: dependencies.http } : {}),
    ...(dependencies.limits ? { limits: dependencies.limits } : {}),
  })
  return { service, indexer, retriever }
}
