import type { EmbeddingModel, HttpClient, JobQueue, Tokenizer } from '@agentry/contracts'
import {
  type AuditRecorder,
  createKnowledge,
  type HybridRetrieverOptions,
  type Knowledge,
} from '@agentry/core'
import { createDocumentExtractor } from '@agentry/extract'
import { createLexicalEmbeddingModel } from '@agentry/local'
import { createOpenAI } from '@agentry/openai'
import { createPgvector, type Pgvector, pgvectorMigrations } from '@agentry/pgvector'
import type { PostgresDatabase, PostgresMigrationModule } from '@agentry/postgres'

/** The knowledge part of the host's config (`loadConfig`: AGENTRY_EMBEDDING_*, AGENTRY_KB_*). */
export interface KnowledgeConfig {
  readonly embedding:
    | { readonly provider: 'local'; readonly dimensions: number }
    | {
        readonly provider: 'openai'
        readonly model: string
        readonly dimensions: number
        readonly apiKey: string
        readonly baseURL: string | undefined
      }
  /** Largest upload, text or fetched URL. */
  readonly maxDocumentBytes: number
  /** Reciprocal rank fusion of the vector and keyword lists (see docs/knowledge.md). */
  readonly fusion: { readonly vectorWeight: number; readonly keywordWeight: number; readonly rrfK: number }
}

/** The adapter's migrations for this config: pass to `database.migrate({ modules })`. */
export function knowledgeMigrations(config: KnowledgeConfig): PostgresMigrationModule[] {
  return [pgvectorMigrations({ dimensions: config.embedding.dimensions })]
}

export interface KnowledgeCompositionInput {
  readonly config: KnowledgeConfig
  readonly database: PostgresDatabase
  readonly queue: JobQueue
  readonly tokenizer: Tokenizer
  /** The guarded outbound client (URL ingestion); URLs are refused without it. */
  readonly http?: HttpClient
  readonly audit?: AuditRecorder
}

export interface KnowledgeComposition extends Knowledge, Pgvector {
  readonly embeddings: EmbeddingModel
  /** `local lexical (512 dimensions)`, for start-up lines. */
  readonly description: string
}

/**
 * Vectors and keywords in the same database as the stores (pgvector; BM25 in SQL), the embedding
 * model from the config, and the knowledge services over them. Reads nothing yet: the database must
 * be migrated with `knowledgeMigrations(config)` before the first knowledge call (`verify` checks).
 */
export function composeKnowledge(input: KnowledgeCompositionInput): KnowledgeComposition {
  const { config } = input
  const embeddings = embeddingModel(config, input.tokenizer)
  const pgvector = createPgvector(input.database, { dimensions: embeddings.dimensions })
  const retrieval: HybridRetrieverOptions = {
    rrfK: config.fusion.rrfK,
    weights: { vector: config.fusion.vectorWeight, keyword: config.fusion.keywordWeight },
  }
  const knowledge = createKnowledge({
    stores: input.database.stores,
    vectors: pgvector.vectorStore,
    keywords: pgvector.keywordIndex,
    embeddings,
    extractor: createDocumentExtractor(),
    tokenizer: input.tokenizer,
    jobs: input.queue,
    ...(input.http ? { http: input.http } : {}),
    ...(input.audit ? { audit: input.audit } : {}),
    limits: { maxDocumentBytes: config.maxDocumentBytes },
    retrieval,
  })
  return {
    ...knowledge,
    ...pgvector,
    embeddings,
    description: `${embeddings.provider} ${embeddings.modelId} (${embeddings.dimensions} dimensions)`,
  }
}

function embeddingModel(config: KnowledgeConfig, tokenizer: Tokenizer): EmbeddingModel {
  const { embedding } = config
  if (embedding.provider === 'local') {
    return createLexicalEmbeddingModel({ dimensions: embedding.dimensions }, { tokenizer })
  }
  return createOpenAI({
    apiKey: embedding.apiKey,
    ...(embedding.baseURL ? { baseURL: embedding.baseURL } : {}),
    embeddingModel: embedding.model,
    embeddingDimensions: embedding.dimensions,
  }).embeddingModel()
}
