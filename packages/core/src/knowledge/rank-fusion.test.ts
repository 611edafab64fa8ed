import type { ChunkId, DocumentId, KnowledgeBaseId } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { fuseRankings, type RankedList } from './rank-fusion.js'

const hit = (id: string, score = 1) => ({
  id: id as ChunkId,
  documentId: `document-${id}` as DocumentId,
  knowledgeBaseId: 'base' as KnowledgeBaseId,
  score,
})
const list = (name: RankedList['name'], ids: string[], weight = 1): RankedList => ({
  name,
  weight,
  hits: ids.map((id, index) => hit(id, 10 - index)),
})

describe('fuseRankings', () => {
  it('scores sum(weight / (k + rank)), normalised so first in every list is 1', () => {
    const fused = fuseRankings([list('vector', ['a', 'b', 'c']), list('keyword', ['b', 'a', 'd'])], 60)
    const best = 2 / 61
    expect(fused.map((entry) => entry.id)).toEqual(['a', 'b', 'c', 'd'])
    expect(fused[0]?.score).toBeCloseTo((1 / 61 + 1 / 62) / best, 12)
    expect(fused[2]?.score).toBeCloseTo(1 / 63 / best, 12)
    expect(fused[0]?.ranks).toEqual({ vector: { rank: 1, score: 10 }, keyword: { rank: 2, score: 9 } })
    const alone = fuseRankings([list('vector', ['a']), list('keyword', ['a'])], 60)
    expect(alone[0]?.score).toBe(1)
  })

  it('gives a hit found by one list of two at most half, with equal weights', () => {
    const fused = fuseRankings([list('vector', []), list('keyword', ['x', 'y'])], 10)
    expect(fused[0]?.score).toBe(0.5)
    expect(fused[1]?.score).toBeCloseTo(1 / 12 / (2 / 11), 12)
  })

  it('lets weights decide between lists, and a smaller k favour first ranks', () => {
    const lists = (vectorWeight: number) => [
      list('vector', ['v1', 'shared'], vectorWeight),
      list('keyword', ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9', 'shared'], 1),
    ]
    expect(fuseRankings(lists(1), 60)[0]?.id).toBe('shared')
    expect(fuseRankings(lists(0.1), 60)[0]?.id).toBe('k1')
    expect(fuseRankings(lists(1), 1)[0]?.id).toBe('k1')
  })

  it('breaks ties on the id and counts a repeated hit once per list', () => {
    const fused = fuseRankings([list('keyword', ['b', 'a']), list('vector', ['a', 'b'])], 60)
    expect(fused.map((entry) => entry.id)).toEqual(['a', 'b'])
    expect(fused[0]?.score).toBe(fused[1]?.score)
    const repeated = fuseRankings([list('keyword', ['b', 'b']), list('vector', [])], 60)
    expect(repeated.map((entry) => [entry.id, entry.score])).toEqual([['b', 0.5]])
    expect(fuseRankings([], 60)).toEqual([])
  })
})
