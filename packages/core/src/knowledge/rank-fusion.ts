import type { ChunkId, DocumentId, KnowledgeBaseId } from '@agentry/contracts'

/** One ranked list to fuse: hits best first, and how much the list counts. */
export interface RankedList {
  readonly name: 'vector' | 'keyword'
  readonly weight: number
  readonly hits: readonly {
    readonly id: ChunkId
    readonly documentId: DocumentId
    readonly knowledgeBaseId: KnowledgeBaseId
    readonly score: number
  }[]
}

export interface FusedHit {
  readonly id: ChunkId
  readonly documentId: DocumentId
  readonly knowledgeBaseId: KnowledgeBaseId
  /** Normalised to 0..1: 1 for a hit ranked first in every list, 0 for none. */
  readonly score: number
  /** 1-based rank and raw score in each list the hit appears in. */
  readonly ranks: Readonly<Partial<Record<RankedList['name'], { rank: number; score: number }>>>
}

/**
 * Reciprocal rank fusion: a hit scores `sum(weight / (k + rank))` over the lists it appears in,
 * divided by the best possible sum (`sum(weight / (k + 1))`, first in every list), so the fused
 * score lies in 0..1 whatever `k`, the weights or the number of lists. Only ranks count, so lists
 * whose raw scores are not comparable (cosine, BM25) fuse without calibration. Ties break on the
 * id, so the order is stable.
 */
export function fuseRankings(lists: readonly RankedList[], k: number): FusedHit[] {
  const best = lists.reduce((total, list) => total + list.weight / (k + 1), 0)
  if (best <= 0) return []
  const fused = new Map<ChunkId, { hit: RankedList['hits'][number]; sum: number; ranks: FusedHit['ranks'] }>()
  for (const list of lists) {
    for (const [index, hit] of list.hits.entries()) {
      const rank = index + 1
      const entry = fused.get(hit.id) ?? { hit, sum: 0, ranks: {} }
      if (entry.ranks[list.name]) continue
      entry.sum += list.weight / (k + rank)
      entry.ranks = { ...entry.ranks, [list.name]: { rank, score: hit.score } }
      fused.set(hit.id, entry)
    }
  }
  return [...fused.values()]
    .map(({ hit, sum, ranks }) => ({
      id: hit.id,
      documentId: hit.documentId,
      knowledgeBaseId: hit.knowledgeBaseId,
      score: Math.min(1, sum / best),
      ranks,
    }))
    .sort((left, right) => right.score - left.score || (left.id < right.id ? -1 : 1))
}
