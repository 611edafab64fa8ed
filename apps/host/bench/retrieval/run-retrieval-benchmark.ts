import type { CompanyId, DocumentId, KnowledgeBaseId } from '@agentry/contracts'
import { systemScope } from '@agentry/contracts'
import { KB_INDEX_JOB, type RequestContext } from '@agentry/core'
import { createTokenizer } from '@agentry/local'
import { MemoryJobQueue } from '@agentry/memory'
import { createEmbeddedPostgres, type PostgresDatabase } from '@agentry/postgres'
import {
  composeKnowledge,
  type KnowledgeComposition,
  type KnowledgeConfig,
  knowledgeMigrations,
} from '../../src/knowledge/knowledge-composition.js'
import type { BeirDataset } from './beir-dataset.js'
import { mean, ndcgAt, percentile, recallAt } from './retrieval-metrics.js'

export type RetrievalMode = 'hybrid' | 'vector' | 'keyword'
type Progress = (stage: 'ingest' | 'query', done: number, total: number) => void

/** A corpus ingested through the real pipeline into an in-memory embedded database. */
export interface IngestedCorpus {
  readonly knowledge: KnowledgeComposition
  readonly database: PostgresDatabase
  readonly context: RequestContext
  readonly knowledgeBaseId: KnowledgeBaseId
  /** Platform document id -> the corpus's own id. */
  readonly corpusIds: ReadonlyMap<DocumentId, string>
  readonly documentsPerSecond: number
  readonly failedDocuments: number
  close(): Promise<void>
}

export interface QueryMetrics {
  readonly ndcgAt10: number
  readonly recallAt100: number
  readonly queryP50Ms: number
  readonly queryP99Ms: number
}

/**
 * Every document through `KnowledgeService.addDocument` and a `kb.index` job on the in-process
 * queue (extract, chunk, embed, pgvector and BM25 upserts), timed from the first upload until the
 * last job finished.
 */
export async function ingestCorpus(
  dataset: BeirDataset,
  config: KnowledgeConfig,
  options: { readonly concurrency?: number; readonly onProgress?: Progress } = {},
): Promise<IngestedCorpus> {
  const database = await createEmbeddedPostgres({ dataDir: 'memory' })
  const queue = new MemoryJobQueue()
  const close = async () => {
    await queue.close()
    await database.close()
  }
  try {
    await database.migrate({ modules: knowledgeMigrations(config) })
    const now = new Date()
    const companyId = crypto.randomUUID() as CompanyId
    await database.stores.companies.create(systemScope('retrieval benchmark'), {
      id: companyId,
      name: 'Benchmark',
      planId: 'default',
      status: 'active',
      createdAt: now,
      updatedAt: now,
    })
    const knowledge = composeKnowledge({ config, database, queue, tokenizer: createTokenizer() })
    const context: RequestContext = { actor: { type: 'system', reason: 'retrieval benchmark' }, companyId }
    const base = await knowledge.service.createKnowledgeBase(context, { name: 'Benchmark corpus' })
    const worker = queue.process(KB_INDEX_JOB, knowledge.indexer.handle, {
      concurrency: options.concurrency ?? 2,
    })
    const corpusIds = new Map<DocumentId, string>()
    const started = performance.now()
    for (const [index, document] of dataset.corpus.entries()) {
      const { document: added } = await knowledge.service.addDocument(
        context,
        base.id,
        { type: 'text', text: document.text.trim() || document.title, title: document.title || document.id },
        { allowDuplicate: true },
      )
      corpusIds.set(added.id, document.id)
      if (index % 100 === 0) await drainTo(queue, 200)
    }
    const failedDocuments = await settle(queue, dataset.corpus.length, options.onProgress)
    const seconds = (performance.now() - started) / 1000
    await worker.stop()
    return {
      knowledge,
      database,
      context,
      knowledgeBaseId: base.id,
      corpusIds,
      documentsPerSecond: dataset.corpus.length / seconds,
      failedDocuments,
      close,
    }
  } catch (error) {
    await close()
    throw error
  }
}

/** Every judged query through `KnowledgeService.search` (the API's search endpoint), `topK` 100. */
export async function evaluateQueries(
  corpus: IngestedCorpus,
  dataset: BeirDataset,
  mode: RetrievalMode,
  onProgress?: Progress,
): Promise<QueryMetrics> {
  const latencies: number[] = []
  const ndcg: number[] = []
  const recall: number[] = []
  for (const [index, query] of dataset.queries.entries()) {
    const start = performance.now()
    const result = await corpus.knowledge.service.search(corpus.context, {
      knowledgeBaseIds: [corpus.knowledgeBaseId],
      query: query.text,
      topK: 100,
      mode,
    })
    latencies.push(performance.now() - start)
    // Chunks count for their document; its best chunk decides its rank.
    const ranked = [...new Set(result.hits.map((hit) => corpus.corpusIds.get(hit.citation.documentId) ?? ''))]
    const relevant = dataset.judgements.get(query.id) ?? new Map()
    ndcg.push(ndcgAt(ranked, relevant, 10))
    recall.push(recallAt(ranked, relevant, 100))
    onProgress?.('query', index + 1, dataset.queries.length)
  }
  return {
    ndcgAt10: mean(ndcg),
    recallAt100: mean(recall),
    queryP50Ms: percentile(latencies, 50),
    queryP99Ms: percentile(latencies, 99),
  }
}

/** The lines the benchmark prints, each `name=value`; `label` prefixes them when several modes run. */
export function reportLines(metrics: QueryMetrics, documentsPerSecond: number, label = ''): string[] {
  return [
    `${label}nDCG@10=${metrics.ndcgAt10.toFixed(4)}`,
    `${label}Recall@100=${metrics.recallAt100.toFixed(4)}`,
    `${label}ingestion_docs_per_second=${documentsPerSecond.toFixed(1)}`,
    `${label}query_p50_ms=${metrics.queryP50Ms.toFixed(1)}`,
    `${label}query_p99_ms=${metrics.queryP99Ms.toFixed(1)}`,
  ]
}

/** Lets the queue drain below `backlog` waiting jobs, so memory stays flat while documents arrive. */
async function drainTo(queue: MemoryJobQueue, backlog: number): Promise<void> {
  while ((await queue.depth(KB_INDEX_JOB)).waiting > backlog) await sleep(20)
}

/** Waits for every indexing job to finish; returns how many failed. */
async function settle(
  queue: MemoryJobQueue,
  total: number,
  onProgress: Progress | undefined,
): Promise<number> {
  for (;;) {
    const depth = await queue.depth(KB_INDEX_JOB)
    const pending = depth.waiting + depth.active + depth.delayed
    onProgress?.('ingest', total - pending, total)
    if (pending === 0) return depth.failed
    await sleep(100)
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
