import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BeirDataset, loadBeirDataset } from '../bench/retrieval/beir-dataset.js'
import { ndcgAt, percentile, recallAt } from '../bench/retrieval/retrieval-metrics.js'
import {
  evaluateQueries,
  type IngestedCorpus,
  ingestCorpus,
  reportLines,
} from '../bench/retrieval/run-retrieval-benchmark.js'
import { DEFAULT_KNOWLEDGE_CONFIG } from '../src/knowledge/knowledge-config.js'

const sample = (path: string) => fileURLToPath(new URL(`./fixtures/scifact-sample/${path}`, import.meta.url))

describe('retrieval metrics', () => {
  it('computes nDCG@k with graded gains and recall@k', () => {
    const relevant = new Map([
      ['a', 1],
      ['b', 2],
    ])
    expect(ndcgAt(['b', 'a', 'x'], relevant, 10)).toBeCloseTo(1, 12)
    const swapped = (1 + 3 / Math.log2(3)) / (3 + 1 / Math.log2(3))
    expect(ndcgAt(['a', 'b'], relevant, 10)).toBeCloseTo(swapped, 12)
    expect(ndcgAt(['x', 'y'], relevant, 10)).toBe(0)
    expect(ndcgAt(['x', 'b'], relevant, 1)).toBe(0)
    expect(recallAt(['a', 'x', 'b'], relevant, 2)).toBe(0.5)
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3)
    expect(percentile([5, 1, 4, 2, 3], 99)).toBe(5)
  })
})

describe('the retrieval benchmark on a SciFact sample (30 abstracts, 8 claims)', () => {
  let dataset: BeirDataset
  let corpus: IngestedCorpus
  beforeAll(async () => {
    dataset = await loadBeirDataset({
      corpus: sample('corpus.jsonl'),
      queries: sample('queries.jsonl'),
      qrels: sample('qrels/train.tsv'),
    })
    corpus = await ingestCorpus(dataset, DEFAULT_KNOWLEDGE_CONFIG)
  })
  afterAll(() => corpus?.close())

  it('reads the files, keeping only judged queries', () => {
    expect(dataset.corpus).toHaveLength(30)
    expect(dataset.queries).toHaveLength(8)
    expect([...dataset.judgements.values()].every((judged) => judged.size === 1)).toBe(true)
  })

  it('ingests every document through the pipeline and ranks the judged abstracts high', async () => {
    expect(corpus.failedDocuments).toBe(0)
    expect(corpus.corpusIds.size).toBe(30)
    const hybrid = await evaluateQueries(corpus, dataset, 'hybrid')
    expect(hybrid.recallAt100).toBe(1)
    expect(hybrid.ndcgAt10).toBeGreaterThan(0.6)
    const lines = reportLines(hybrid, corpus.documentsPerSecond)
    expect(lines.map((line) => line.split('=')[0])).toEqual([
      'nDCG@10',
      'Recall@100',
      'ingestion_docs_per_second',
      'query_p50_ms',
      'query_p99_ms',
    ])
    expect(lines[0]).toMatch(/^nDCG@10=[01]\.\d{4}$/)
  })
})
