import type {
  CallOptions,
  Chunk,
  ChunkId,
  Clock,
  EmbeddingModel,
  IdGenerator,
  KeywordIndex,
  KnowledgeBaseId,
  NewUsageEvent,
  Stores,
  TenantScope,
  UsageEventId,
  VectorFilter,
  VectorStore,
} from '@agentry/contracts'
import { createUuidV7Generator, systemClock } from '@agentry/contracts'
import type {
  RetrievalRequest,
  RetrievalResult,
  RetrievedPassage,
  Retriever,
} from '../orchestrator/retriever.js'
import { DocumentTitles } from './document-titles.js'
import { snippetOf } from './indexed-text.js'
import { type FusedHit, fuseRankings, type RankedList } from './rank-fusion.js'

export interface HybridRetrieverOptions {
  /** Hits taken from each list before fusion (at least `topK`). Default 50. */
  readonly candidates?: number
  /** The `k` of reciprocal rank fusion: larger flattens the weight of the first ranks. Default 60. */
  readonly rrfK?: number
  /** How much each list counts in the fusion. Default 1 each. */
  readonly weights?: { readonly vector?: number; readonly keyword?: number }
}

export interface HybridRetrieverDependencies {
  readonly stores: Pick<Stores, 'chunks' | 'documents' | 'usage'>
  readonly vectors: VectorStore
  readonly keywords: KeywordIndex
  readonly embeddings: EmbeddingModel
  readonly clock?: Clock
  readonly ids?: IdGenerator
  readonly options?: HybridRetrieverOptions
}

export type RetrievalMode = RetrievalRequest['mode']

export interface SearchRequest {
  readonly knowledgeBaseIds: readonly KnowledgeBaseId[]
  readonly query: string
  readonly topK: number
  readonly minScore?: number
  readonly mode?: RetrievalMode
}

/** One search result with how each list ranked it (for tuning and the API's search endpoint). */
export interface SearchHit extends RetrievedPassage {
  readonly ranks: FusedHit['ranks']
}

export interface SearchResult {
  readonly hits: readonly SearchHit[]
  readonly embedding: RetrievalResult['embedding']
}

/**
 * Hybrid retrieval: the query embedded (unless `keyword` mode) and searched in the vector store,
 * the query text searched in the keyword index, both within the company and the given knowledge
 * bases, fused by reciprocal rank fusion (see `fuseRankings` for the 0..1 score that `minScore`
 * compares against), then hydrated from the chunk and document stores into cited passages.
 * `retrieve` (a turn) leaves billing to the orchestrator, which records the `kb.query` and the
 * embedding tokens it returns; `search` (the API) appends those usage events itself.
 */
export class HybridRetriever implements Retriever {
  readonly #dependencies: HybridRetrieverDependencies
  readonly #clock: Clock
  readonly #ids: IdGenerator
  readonly #candidates: number
  readonly #rrfK: number
  readonly #weights: { readonly vector: number; readonly keyword: number }
  readonly #titles: DocumentTitles

  constructor(dependencies: HybridRetrieverDependencies) {
    this.#dependencies = dependencies
    this.#clock = dependencies.clock ?? systemClock
    this.#ids = dependencies.ids ?? createUuidV7Generator(this.#clock)
    const options = dependencies.options ?? {}
    this.#candidates = options.candidates ?? 50
    this.#rrfK = options.rrfK ?? 60
    this.#weights = { vector: options.weights?.vector ?? 1, keyword: options.weights?.keyword ?? 1 }
    this.#titles = new DocumentTitles(dependencies.stores.documents)
  }

  async retrieve(request: RetrievalRequest, options?: CallOptions): Promise<RetrievalResult> {
    const result = await this.#run(request.scope, request, options)
    const passages = result.hits.map(({ ranks: _ranks, ...passage }) => passage)
    return { passages, embedding: result.embedding }
  }

  /** The same retrieval outside a turn, billed here: one `kb.query` (and the embedding tokens). */
  async search(scope: TenantScope, request: SearchRequest, options?: CallOptions): Promise<SearchResult> {
    const result = await this.#run(
      scope,
      { ...request, minScore: request.minScore ?? 0, mode: request.mode ?? 'hybrid' },
      options,
    )
    await this.#dependencies.stores.usage.append(scope, this.#usageEvents(scope, result.embedding), options)
    return result
  }

  async #run(
    scope: TenantScope,
    request: Omit<SearchRequest, 'minScore' | 'mode'> & {
      readonly minScore: number
      readonly mode: RetrievalMode
    },
    options: CallOptions | undefined,
  ): Promise<SearchResult> {
    const query = request.query.trim()
    const topK = Math.max(0, Math.floor(request.topK))
    if (request.knowledgeBaseIds.length === 0 || query === '' || topK === 0) {
      return { hits: [], embedding: null }
    }
    const filter: VectorFilter = { companyId: scope.companyId, knowledgeBaseIds: request.knowledgeBaseIds }
    const candidates = Math.max(this.#candidates, topK)
    const { embeddings, vectors, keywords } = this.#dependencies
    const wantsVectors = request.mode !== 'keyword'
    const wantsKeywords = request.mode !== 'vector'
    const embedded = wantsVectors ? await embeddings.embed([query], { ...options, purpose: 'query' }) : null
    const queryVector = embedded?.vectors[0]
    const [vectorHits, keywordHits] = await Promise.all([
      queryVector ? vectors.query({ filter, vector: queryVector, topK: candidates }, options) : [],
      wantsKeywords ? keywords.search({ filter, text: query, topK: candidates }, options) : [],
    ])
    const lists: RankedList[] = []
    if (wantsVectors) lists.push({ name: 'vector', weight: this.#weights.vector, hits: vectorHits })
    if (wantsKeywords) lists.push({ name: 'keyword', weight: this.#weights.keyword, hits: keywordHits })
    const fused = fuseRankings(lists, this.#rrfK).filter((hit) => hit.score >= request.minScore)
    const hits = await this.#hydrate(scope, request.knowledgeBaseIds, fused, topK, options)
    const embedding = embedded
      ? { tokens: embedded.usage.tokens, provider: embeddings.provider, model: embeddings.modelId }
      : null
    return { hits, embedding }
  }

  /** Chunks and titles for the best hits; hits whose chunk is gone (deleted, re-indexed) drop out. */
  async #hydrate(
    scope: TenantScope,
    knowledgeBaseIds: readonly KnowledgeBaseId[],
    fused: readonly FusedHit[],
    topK: number,
    options: CallOptions | undefined,
  ): Promise<SearchHit[]> {
    const allowed = new Set<string>(knowledgeBaseIds)
    const hits: SearchHit[] = []
    // Usually one round: only when chunks have vanished does it look further down the list.
    for (let start = 0; start < fused.length && hits.length < topK; start += topK) {
      const slice = fused.slice(start, start + topK)
      const found = await this.#dependencies.stores.chunks.getMany(
        scope,
        slice.map((hit) => hit.id),
        options,
      )
      const byId = new Map<ChunkId, Chunk>(
        found
          .filter((chunk) => chunk.companyId === scope.companyId && allowed.has(chunk.knowledgeBaseId))
          .map((chunk) => [chunk.id, chunk]),
      )
      const titles = await this.#titles.of(
        scope,
        [...byId.values()].map((chunk) => chunk.documentId),
        options,
      )
      for (const hit of slice) {
        const chunk = byId.get(hit.id)
        const title = chunk ? titles.get(chunk.documentId) : undefined
        if (!chunk || title === undefined) continue
        hits.push(toHit(hits.length + 1, chunk, title, hit))
        if (hits.length === topK) break
      }
    }
    return hits
  }

  #usageEvents(scope: TenantScope, embedding: RetrievalResult['embedding']): NewUsageEvent[] {
    const base = {
      companyId: scope.companyId,
      occurredAt: this.#clock.now(),
      agentId: null,
      sessionId: null,
      turnId: null,
      apiKeyId: null,
      toolName: null,
      outputTokens: 0,
      cachedInputTokens: 0,
    }
    const events: NewUsageEvent[] = [
      {
        ...base,
        id: this.#ids.next() as UsageEventId,
        kind: 'kb.query',
        provider: null,
        model: null,
        inputTokens: 0,
        quantity: 1,
      },
    ]
    if (embedding && embedding.tokens > 0) {
      events.push({
        ...base,
        id: this.#ids.next() as UsageEventId,
        kind: 'embedding.tokens',
        provider: embedding.provider,
        model: embedding.model,
        inputTokens: embedding.tokens,
        quantity: embedding.tokens,
      })
    }
    return events
  }
}

function toHit(index: number, chunk: Chunk, documentTitle: string, hit: FusedHit): SearchHit {
  const title =
    chunk.headingPath.length > 0 ? `${documentTitle} > ${chunk.headingPath.join(' > ')}` : documentTitle
  return {
    index,
    title,
    text: chunk.text,
    citation: {
      index,
      chunkId: chunk.id,
      documentId: chunk.documentId,
      knowledgeBaseId: chunk.knowledgeBaseId,
      documentTitle,
      page: chunk.page,
      startOffset: chunk.startOffset,
      endOffset: chunk.endOffset,
      snippet: snippetOf(chunk.text),
      score: hit.score,
    },
    ranks: hit.ranks,
  }
}
