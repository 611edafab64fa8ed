import { parseArgs } from 'node:util'
import { DEFAULT_KNOWLEDGE_CONFIG } from '../../src/knowledge/knowledge-config.js'
import { loadBeirDataset } from './beir-dataset.js'
import { evaluateQueries, ingestCorpus, type RetrievalMode, reportLines } from './run-retrieval-benchmark.js'

const USAGE = `npm run bench:retrieval -- --corpus corpus.jsonl --queries queries.jsonl --qrels qrels/train.tsv
  [--mode hybrid|vector|keyword|all] [--limit N] [--vector-weight W] [--keyword-weight W] [--rrf-k K]
  [--concurrency N]`
const MODES: readonly RetrievalMode[] = ['keyword', 'vector', 'hybrid']

const { values } = parseArgs({
  options: {
    corpus: { type: 'string' },
    queries: { type: 'string' },
    qrels: { type: 'string' },
    mode: { type: 'string', default: 'hybrid' },
    limit: { type: 'string' },
    'vector-weight': { type: 'string' },
    'keyword-weight': { type: 'string' },
    'rrf-k': { type: 'string' },
    concurrency: { type: 'string' },
  },
})
const { corpus, queries, qrels, mode } = values
if (!corpus || !queries || !qrels || !['all', ...MODES].includes(mode)) {
  console.error(USAGE)
  process.exit(2)
}
const number = (value: string | undefined, fallback: number) =>
  value === undefined ? fallback : Number(value)
const defaults = DEFAULT_KNOWLEDGE_CONFIG
const config = {
  ...defaults,
  fusion: {
    vectorWeight: number(values['vector-weight'], defaults.fusion.vectorWeight),
    keywordWeight: number(values['keyword-weight'], defaults.fusion.keywordWeight),
    rrfK: number(values['rrf-k'], defaults.fusion.rrfK),
  },
}
const dataset = await loadBeirDataset(
  { corpus, queries, qrels },
  values.limit ? Number(values.limit) : undefined,
)
console.error(
  `${dataset.corpus.length} documents, ${dataset.queries.length} judged queries; ` +
    `${config.embedding.provider} embeddings (${config.embedding.dimensions} dimensions); fusion: ` +
    `vector ${config.fusion.vectorWeight}, keyword ${config.fusion.keywordWeight}, k ${config.fusion.rrfK}`,
)
let printedAt = 0
const onProgress = (stage: string, done: number, total: number) => {
  if (Date.now() - printedAt < 5000 && done !== total) return
  printedAt = Date.now()
  console.error(`${stage}: ${done}/${total}`)
}
const ingested = await ingestCorpus(dataset, config, {
  ...(values.concurrency ? { concurrency: Number(values.concurrency) } : {}),
  onProgress,
})
try {
  if (ingested.failedDocuments > 0) console.error(`${ingested.failedDocuments} document(s) failed to index`)
  for (const current of mode === 'all' ? MODES : [mode as RetrievalMode]) {
    const metrics = await evaluateQueries(ingested, dataset, current, onProgress)
    const label = mode === 'all' ? `${current} ` : ''
    for (const line of reportLines(metrics, ingested.documentsPerSecond, label)) console.log(line)
  }
} finally {
  await ingested.close()
}
