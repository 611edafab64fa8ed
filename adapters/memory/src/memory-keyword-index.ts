import type {
  CallOptions,
  ChunkId,
  KeywordEntry,
  KeywordHit,
  KeywordIndex,
  KeywordQuery,
  VectorFilter,
} from '@agentry/contracts'
import { throwIfAborted } from './abort.js'
import { keywordTokens } from './keyword-tokens.js'
import { matchesFilter } from './vector-filter.js'

export interface MemoryKeywordIndexOptions {
  /** BM25 term-frequency saturation; default 1.2. */
  readonly k1?: number
  /** BM25 length normalization; default 0.75. */
  readonly b?: number
}

interface IndexedEntry {
  readonly entry: Omit<KeywordEntry, 'text'>
  readonly terms: ReadonlyMap<string, number>
  readonly length: number
}

interface Corpus {
  readonly entries: Map<ChunkId, IndexedEntry>
  readonly documentFrequency: Map<string, number>
  totalLength: number
}

/**
 * BM25 over a lowercase word tokenizer, one corpus per company (term statistics never mix
 * tenants). Query text is only ever split into words, so no input is syntax. Single process.
 */
export class MemoryKeywordIndex implements KeywordIndex {
  readonly #k1: number
  readonly #b: number
  readonly #companies = new Map<string, Corpus>()

  constructor(options: MemoryKeywordIndexOptions = {}) {
    this.#k1 = options.k1 ?? 1.2
    this.#b = options.b ?? 0.75
  }

  async upsert(entries: readonly KeywordEntry[], options?: CallOptions): Promise<void> {
    throwIfAborted(options, 'Indexing keywords')
    for (const { text, ...entry } of entries) {
      const corpus = this.#corpus(entry.companyId)
      remove(corpus, entry.id)
      const tokens = keywordTokens(text)
      const terms = new Map<string, number>()
      for (const token of tokens) terms.set(token, (terms.get(token) ?? 0) + 1)
      for (const term of terms.keys())
        corpus.documentFrequency.set(term, (corpus.documentFrequency.get(term) ?? 0) + 1)
      corpus.entries.set(entry.id, { entry: { ...entry }, terms, length: tokens.length })
      corpus.totalLength += tokens.length
    }
  }

  async search(query: KeywordQuery, options?: CallOptions): Promise<readonly KeywordHit[]> {
    throwIfAborted(options, 'Searching keywords')
    const corpus = this.#companies.get(query.filter.companyId)
    const terms = [...new Set(keywordTokens(query.text))]
    if (!corpus || corpus.entries.size === 0 || terms.length === 0 || query.topK <= 0) return []
    const count = corpus.entries.size
    const averageLength = corpus.totalLength / count || 1
    const weights = terms.map((term) => {
      const frequency = corpus.documentFrequency.get(term) ?? 0
      return { term, idf: Math.log(1 + (count - frequency + 0.5) / (frequency + 0.5)), frequency }
    })
    const hits: KeywordHit[] = []
    for (const { entry, terms: entryTerms, length } of corpus.entries.values()) {
      if (!matchesFilter(entry, query.filter)) continue
      let score = 0
      for (const { term, idf, frequency } of weights) {
        const termFrequency = frequency === 0 ? 0 : (entryTerms.get(term) ?? 0)
        if (termFrequency === 0) continue
        const lengthFactor = 1 - this.#b + (this.#b * length) / averageLength
        score += (idf * termFrequency * (this.#k1 + 1)) / (termFrequency + this.#k1 * lengthFactor)
      }
      if (score > 0) {
        hits.push({
          id: entry.id,
          documentId: entry.documentId,
          knowledgeBaseId: entry.knowledgeBaseId,
          score,
        })
      }
    }
    hits.sort((left, right) => right.score - left.score || (left.id < right.id ? -1 : 1))
    return hits.slice(0, query.topK)
  }

  async deleteByFilter(filter: VectorFilter, options?: CallOptions): Promise<number> {
    throwIfAborted(options, 'Deleting keyword entries')
    const corpus = this.#companies.get(filter.companyId)
    if (!corpus) return 0
    let removed = 0
    for (const { entry } of [...corpus.entries.values()]) {
      if (!matchesFilter(entry, filter)) continue
      remove(corpus, entry.id)
      removed += 1
    }
    return removed
  }

  async close(): Promise<void> {
    this.#companies.clear()
  }

  #corpus(companyId: string): Corpus {
    let corpus = this.#companies.get(companyId)
    if (!corpus) {
      corpus = { entries: new Map(), documentFrequency: new Map(), totalLength: 0 }
      this.#companies.set(companyId, corpus)
    }
    return corpus
  }
}

function remove(corpus: Corpus, id: ChunkId): void {
  const existing = corpus.entries.get(id)
  if (!existing) return
  for (const term of existing.terms.keys()) {
    const frequency = (corpus.documentFrequency.get(term) ?? 1) - 1
    if (frequency <= 0) corpus.documentFrequency.delete(term)
    else corpus.documentFrequency.set(term, frequency)
  }
  corpus.totalLength -= existing.length
  corpus.entries.delete(id)
}
