import { readFile } from 'node:fs/promises'

/** A retrieval benchmark in BEIR's format: `corpus.jsonl`, `queries.jsonl`, a qrels TSV. */
export interface BeirDataset {
  readonly corpus: readonly { readonly id: string; readonly title: string; readonly text: string }[]
  /** Only the queries that have judgements, in file order. */
  readonly queries: readonly { readonly id: string; readonly text: string }[]
  /** Query id -> document id -> graded relevance (> 0). */
  readonly judgements: ReadonlyMap<string, ReadonlyMap<string, number>>
}

export interface BeirPaths {
  readonly corpus: string
  readonly queries: string
  readonly qrels: string
}

function jsonLines(text: string, path: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      try {
        return JSON.parse(line) as Record<string, unknown>
      } catch (error) {
        throw new Error(`${path}:${index + 1} is not JSON (${(error as Error).message})`)
      }
    })
}

/** Reads the three files; `limit` keeps the first documents (and the judgements that point into them). */
export async function loadBeirDataset(paths: BeirPaths, limit?: number): Promise<BeirDataset> {
  const [corpusText, queriesText, qrelsText] = await Promise.all([
    readFile(paths.corpus, 'utf8'),
    readFile(paths.queries, 'utf8'),
    readFile(paths.qrels, 'utf8'),
  ])
  const corpus = jsonLines(corpusText, paths.corpus)
    .slice(0, limit)
    .map((row) => ({ id: String(row._id), title: String(row.title ?? ''), text: String(row.text ?? '') }))
  const inCorpus = new Set(corpus.map((document) => document.id))
  const judgements = new Map<string, Map<string, number>>()
  for (const line of qrelsText.split('\n').slice(1)) {
    const [queryId, documentId, score] = line.trim().split('\t')
    if (!queryId || !documentId || !(Number(score) > 0) || !inCorpus.has(documentId)) continue
    const forQuery = judgements.get(queryId) ?? new Map<string, number>()
    forQuery.set(documentId, Number(score))
    judgements.set(queryId, forQuery)
  }
  const queries = jsonLines(queriesText, paths.queries)
    .map((row) => ({ id: String(row._id), text: String(row.text ?? '') }))
    .filter((query) => judgements.has(query.id))
  return { corpus, queries, judgements }
}
