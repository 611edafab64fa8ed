import { afterAll, beforeAll, describe, expect } from 'vitest'
import type { ChunkId, CompanyId, DocumentId, KnowledgeBaseId } from '../ids.js'
import type { VectorPoint, VectorStore } from '../ports/vector-store.js'
import { expectCoreError } from './expect-core-error.js'
import { newId } from './fixtures.js'
import type { KitOptions } from './kit-options.js'
import { kitTest } from './kit-test.js'
import { basisVector, blendVector, cosine, seededRandom, vectorNear } from './kit-vectors.js'

/**
 * The `VectorStore` contract. `create` is called once for the kit; the store's own `dimensions`
 * (2 or more) size every vector. Each test writes under fresh companies, so a store on a shared
 * database or server can run it. Data sets stay under 100 points per company: approximate indexes
 * (HNSW) are expected to return exact top-k at that size.
 */
export function describeVectorStore(options: KitOptions<VectorStore>): void {
  const test = (title: string, fn: () => Promise<void>) => kitTest(options.skip, title, fn)
  let store: VectorStore
  const dims = () => store.dimensions

  interface Owner {
    readonly companyId: CompanyId
    readonly knowledgeBaseId: KnowledgeBaseId
    readonly documentId: DocumentId
  }
  const owner = (companyId = newId<CompanyId>(), knowledgeBaseId = newId<KnowledgeBaseId>()): Owner => ({
    companyId,
    knowledgeBaseId,
    documentId: newId<DocumentId>(),
  })
  const point = (of: Owner, vector: Float32Array, id = newId<ChunkId>()): VectorPoint => ({
    id,
    ...of,
    vector,
  })
  const ids = (hits: readonly { readonly id: ChunkId }[]) => hits.map((hit) => hit.id)

  describe(`VectorStore conformance: ${options.name}`, () => {
    beforeAll(async () => {
      store = await options.create()
      expect(Number.isInteger(store.dimensions) && store.dimensions >= 2).toBe(true)
    })
    afterAll(async () => {
      if (options.cleanup) await options.cleanup(store)
      else await store.close()
    })

    test('returns the nearest points first, with cosine similarity as score', async () => {
      const of = owner()
      const same = point(of, basisVector(dims(), 0))
      const close = point(of, blendVector(dims(), { 0: 1, 1: 0.5 }))
      const far = point(of, blendVector(dims(), { 0: 1, 1: 2 }))
      const orthogonal = point(of, basisVector(dims(), 1))
      const opposite = point(of, blendVector(dims(), { 0: -1 }))
      await store.upsert([far, opposite, same, orthogonal, close])
      const hits = await store.query({
        filter: { companyId: of.companyId },
        vector: basisVector(dims(), 0),
        topK: 5,
      })
      expect(ids(hits)).toEqual([same.id, close.id, far.id, orthogonal.id, opposite.id])
      const scores = hits.map((hit) => hit.score)
      for (const [index, expected] of [1, 2 / Math.sqrt(5), 1 / Math.sqrt(5), 0, -1].entries()) {
        expect(scores[index]).toBeCloseTo(expected, 3)
      }
      expect(hits[0]).toEqual({
        id: same.id,
        documentId: of.documentId,
        knowledgeBaseId: of.knowledgeBaseId,
        score: expect.any(Number),
      })
    })

    test('returns at most topK hits, and all of them when there are fewer', async () => {
      const of = owner()
      const points = [1, 2, 3].map((step) => point(of, blendVector(dims(), { 0: 1, 1: 0.2 * step })))
      await store.upsert(points)
      const query = { filter: { companyId: of.companyId }, vector: basisVector(dims(), 0) }
      expect(ids(await store.query({ ...query, topK: 2 }))).toEqual([points[0]?.id, points[1]?.id])
      expect(await store.query({ ...query, topK: 10 })).toHaveLength(3)
    })

    test('finds the exact top-k among ~60 points of a company', async () => {
      const random = seededRandom(7)
      const query = blendVector(dims(), { 0: 1, 1: 1 })
      const of = owner()
      const spreads = Array.from({ length: 60 }, (_, index) => 0.1 + 0.05 * index)
      for (let index = spreads.length - 1; index > 0; index -= 1) {
        const other = Math.floor(random() * (index + 1))
        ;[spreads[index], spreads[other]] = [spreads[other] ?? 0, spreads[index] ?? 0]
      }
      const points = spreads.map((spread) => point(of, vectorNear(query, spread, random)))
      const neighbours = Array.from({ length: 20 }, () => point(owner(), vectorNear(query, 0.01, random)))
      await store.upsert([...points, ...neighbours])
      const expected = [...points]
        .sort((left, right) => cosine(right.vector, query) - cosine(left.vector, query))
        .slice(0, 10)
      const hits = await store.query({ filter: { companyId: of.companyId }, vector: query, topK: 10 })
      expect(ids(hits)).toEqual(ids(expected))
      for (const [index, hit] of hits.entries()) {
        expect(hit.score).toBeCloseTo(cosine(expected[index]?.vector ?? query, query), 3)
      }
    })

    test('upsert is idempotent on id: a second upsert replaces vector and metadata', async () => {
      const of = owner()
      const moved = owner(of.companyId)
      const id = newId<ChunkId>()
      await store.upsert([point(of, basisVector(dims(), 1), id)])
      await store.upsert([point(moved, basisVector(dims(), 0), id)])
      const hits = await store.query({
        filter: { companyId: of.companyId },
        vector: basisVector(dims(), 0),
        topK: 5,
      })
      expect(hits).toHaveLength(1)
      expect(hits[0]).toMatchObject({
        id,
        documentId: moved.documentId,
        knowledgeBaseId: moved.knowledgeBaseId,
      })
      expect(hits[0]?.score).toBeCloseTo(1, 3)
    })

    test('filters by knowledge bases and documents; empty lists match nothing', async () => {
      const first = owner()
      const second = owner(first.companyId)
      const sameBase = owner(first.companyId, first.knowledgeBaseId)
      const points = [
        point(first, basisVector(dims(), 0)),
        point(second, basisVector(dims(), 0)),
        point(sameBase, basisVector(dims(), 0)),
      ]
      await store.upsert(points)
      const query = (filter: object) =>
        store.query({
          filter: { companyId: first.companyId, ...filter },
          vector: basisVector(dims(), 0),
          topK: 10,
        })
      expect(new Set(ids(await query({ knowledgeBaseIds: [first.knowledgeBaseId] })))).toEqual(
        new Set([points[0]?.id, points[2]?.id]),
      )
      expect(ids(await query({ documentIds: [second.documentId] }))).toEqual([points[1]?.id])
      expect(
        ids(await query({ knowledgeBaseIds: [first.knowledgeBaseId], documentIds: [sameBase.documentId] })),
      ).toEqual([points[2]?.id])
      expect(await query({ knowledgeBaseIds: [] })).toEqual([])
      expect(await query({ documentIds: [] })).toEqual([])
    })

    test('never returns or deletes another company’s points', async () => {
      const mine = owner()
      const theirs = owner(newId<CompanyId>(), mine.knowledgeBaseId)
      const kept = point(mine, basisVector(dims(), 0))
      await store.upsert([kept])
      const filter = { companyId: theirs.companyId }
      expect(await store.query({ filter, vector: basisVector(dims(), 0), topK: 10 })).toEqual([])
      expect(
        await store.query({
          filter: { ...filter, knowledgeBaseIds: [mine.knowledgeBaseId] },
          vector: basisVector(dims(), 0),
          topK: 10,
        }),
      ).toEqual([])
      expect(await store.deleteByFilter(filter)).toBe(0)
      expect(await store.deleteByFilter({ ...filter, documentIds: [mine.documentId] })).toBe(0)
      const hits = await store.query({
        filter: { companyId: mine.companyId },
        vector: basisVector(dims(), 0),
        topK: 10,
      })
      expect(ids(hits)).toEqual([kept.id])
    })

    test('deleteByFilter removes what matches and says how many', async () => {
      const first = owner()
      const second = owner(first.companyId)
      const third = owner(first.companyId)
      await store.upsert([
        point(first, basisVector(dims(), 0)),
        point(first, basisVector(dims(), 1)),
        point(second, basisVector(dims(), 0)),
        point(third, basisVector(dims(), 0)),
      ])
      const companyId = first.companyId
      expect(await store.deleteByFilter({ companyId, documentIds: [first.documentId] })).toBe(2)
      expect(await store.deleteByFilter({ companyId, knowledgeBaseIds: [] })).toBe(0)
      expect(await store.deleteByFilter({ companyId, knowledgeBaseIds: [second.knowledgeBaseId] })).toBe(1)
      const left = await store.query({ filter: { companyId }, vector: basisVector(dims(), 0), topK: 10 })
      expect(left.map((hit) => hit.documentId)).toEqual([third.documentId])
      expect(await store.deleteByFilter({ companyId })).toBe(1)
      expect(await store.query({ filter: { companyId }, vector: basisVector(dims(), 0), topK: 10 })).toEqual(
        [],
      )
    })

    test('a vector of the wrong length is INVALID_INPUT, and nothing of that batch is stored', async () => {
      const of = owner()
      const good = point(of, basisVector(dims(), 0))
      const bad = point(of, new Float32Array(dims() + 1).fill(0.5))
      await expectCoreError(store.upsert([good, bad]), 'INVALID_INPUT')
      const query = { filter: { companyId: of.companyId }, topK: 5 }
      expect(await store.query({ ...query, vector: basisVector(dims(), 0) })).toEqual([])
      await expectCoreError(
        store.query({ ...query, vector: new Float32Array(dims() - 1).fill(0.5) }),
        'INVALID_INPUT',
      )
    })

    test('an empty upsert does nothing and an empty company has no hits', async () => {
      await store.upsert([])
      expect(
        await store.query({
          filter: { companyId: newId<CompanyId>() },
          vector: basisVector(dims(), 0),
          topK: 3,
        }),
      ).toEqual([])
    })

    test('an already-aborted signal fails every call with CANCELLED', async () => {
      const signal = AbortSignal.abort()
      const of = owner()
      await expectCoreError(store.upsert([point(of, basisVector(dims(), 0))], { signal }), 'CANCELLED')
      const query = { filter: { companyId: of.companyId }, vector: basisVector(dims(), 0), topK: 3 }
      await expectCoreError(store.query(query, { signal }), 'CANCELLED')
      await expectCoreError(store.deleteByFilter({ companyId: of.companyId }, { signal }), 'CANCELLED')
      expect(await store.query(query)).toEqual([])
    })
  })
}
