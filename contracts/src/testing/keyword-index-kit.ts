import { afterAll, beforeAll, describe, expect } from 'vitest'
import type { ChunkId, CompanyId, DocumentId, KnowledgeBaseId } from '../ids.js'
import type { KeywordEntry, KeywordIndex } from '../ports/keyword-index.js'
import { expectCoreError } from './expect-core-error.js'
import { newId } from './fixtures.js'
import type { KitOptions } from './kit-options.js'
import { kitTest } from './kit-test.js'

/**
 * The `KeywordIndex` contract. `create` is called once for the kit; each test writes under fresh
 * companies. Texts avoid what differs between engines (stemming, stop words, whether a hit must
 * contain every term): words are matched in the form they are written, case-insensitively.
 */
export function describeKeywordIndex(options: KitOptions<KeywordIndex>): void {
  const test = (title: string, fn: () => Promise<void>) => kitTest(options.skip, title, fn)
  let index: KeywordIndex

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
  const entry = (of: Owner, text: string, id = newId<ChunkId>()): KeywordEntry => ({ id, ...of, text })
  const ids = (hits: readonly { readonly id: ChunkId }[]) => hits.map((hit) => hit.id)
  const search = (companyId: CompanyId, text: string, topK = 10, filter: object = {}) =>
    index.search({ filter: { companyId, ...filter }, text, topK })

  describe(`KeywordIndex conformance: ${options.name}`, () => {
    beforeAll(async () => {
      index = await options.create()
    })
    afterAll(async () => {
      if (options.cleanup) await options.cleanup(index)
      else await index.close()
    })

    test('finds entries that contain the term, most relevant first', async () => {
      const of = owner()
      const dense = entry(
        of,
        'Refund rules: a refund is paid by bank transfer. Ask for a refund within 30 days.',
      )
      const sparse = entry(
        of,
        'Shipping takes five days. Damaged parcels qualify for a refund after inspection by our team.',
      )
      const unrelated = entry(of, 'Our office is open Monday to Friday.')
      await index.upsert([sparse, unrelated, dense])
      const hits = await search(of.companyId, 'refund')
      expect(ids(hits)).toEqual([dense.id, sparse.id])
      expect(hits[0]).toEqual({
        id: dense.id,
        documentId: of.documentId,
        knowledgeBaseId: of.knowledgeBaseId,
        score: expect.any(Number),
      })
      expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score ?? Number.POSITIVE_INFINITY)
    })

    test('an entry with every query term ranks above entries with only some', async () => {
      const of = owner()
      const both = entry(of, 'Invoice address changes are made in billing settings.')
      const first = entry(of, 'Every invoice is sent by email.')
      const second = entry(of, 'Your address is kept private.')
      await index.upsert([first, second, both])
      expect(ids(await search(of.companyId, 'invoice address'))[0]).toBe(both.id)
    })

    test('matches regardless of case and punctuation, also for non-ASCII words', async () => {
      const of = owner()
      const target = entry(of, 'Our Zürich office handles VAT questions.')
      await index.upsert([target, entry(of, 'Nothing to see here.')])
      expect(ids(await search(of.companyId, 'zürich'))).toEqual([target.id])
      expect(ids(await search(of.companyId, 'vat?'))).toEqual([target.id])
      expect(ids(await search(of.companyId, '"Office"'))).toEqual([target.id])
    })

    test('returns at most topK hits', async () => {
      const of = owner()
      await index.upsert(
        Array.from({ length: 5 }, (_, position) => entry(of, `warranty clause number ${position}`)),
      )
      expect(await search(of.companyId, 'warranty', 3)).toHaveLength(3)
      expect(await search(of.companyId, 'warranty', 10)).toHaveLength(5)
    })

    test('upsert is idempotent on id: the new text replaces the old', async () => {
      const of = owner()
      const id = newId<ChunkId>()
      await index.upsert([entry(of, 'pineapple delivery schedule', id)])
      await index.upsert([entry(of, 'mango delivery schedule', id)])
      expect(await search(of.companyId, 'pineapple')).toEqual([])
      expect(ids(await search(of.companyId, 'mango'))).toEqual([id])
      expect(ids(await search(of.companyId, 'schedule'))).toEqual([id])
    })

    test('filters by knowledge bases and documents; empty lists match nothing', async () => {
      const first = owner()
      const second = owner(first.companyId)
      const a = entry(first, 'onboarding checklist')
      const b = entry(second, 'onboarding checklist')
      await index.upsert([a, b])
      const companyId = first.companyId
      expect(
        ids(await search(companyId, 'onboarding', 10, { knowledgeBaseIds: [first.knowledgeBaseId] })),
      ).toEqual([a.id])
      expect(ids(await search(companyId, 'onboarding', 10, { documentIds: [second.documentId] }))).toEqual([
        b.id,
      ])
      expect(await search(companyId, 'onboarding', 10, { knowledgeBaseIds: [] })).toEqual([])
      expect(await search(companyId, 'onboarding', 10, { documentIds: [] })).toEqual([])
    })

    test('never returns or deletes another company’s entries', async () => {
      const mine = owner()
      const theirs = owner(newId<CompanyId>(), mine.knowledgeBaseId)
      const kept = entry(mine, 'confidential salary bands')
      await index.upsert([kept])
      expect(await search(theirs.companyId, 'salary')).toEqual([])
      expect(
        await search(theirs.companyId, 'salary', 10, { knowledgeBaseIds: [mine.knowledgeBaseId] }),
      ).toEqual([])
      expect(await index.deleteByFilter({ companyId: theirs.companyId })).toBe(0)
      expect(
        await index.deleteByFilter({ companyId: theirs.companyId, documentIds: [mine.documentId] }),
      ).toBe(0)
      expect(ids(await search(mine.companyId, 'salary'))).toEqual([kept.id])
    })

    test('deleteByFilter removes what matches and says how many', async () => {
      const first = owner()
      const second = owner(first.companyId)
      const companyId = first.companyId
      await index.upsert([
        entry(first, 'alpha report'),
        entry(first, 'alpha summary'),
        entry(second, 'alpha notes'),
      ])
      expect(await index.deleteByFilter({ companyId, documentIds: [] })).toBe(0)
      expect(await index.deleteByFilter({ companyId, documentIds: [first.documentId] })).toBe(2)
      expect((await search(companyId, 'alpha')).map((hit) => hit.documentId)).toEqual([second.documentId])
      expect(await index.deleteByFilter({ companyId, knowledgeBaseIds: [second.knowledgeBaseId] })).toBe(1)
      expect(await search(companyId, 'alpha')).toEqual([])
    })

    test('a query with no searchable terms returns no hits', async () => {
      const of = owner()
      await index.upsert([entry(of, 'anything at all')])
      for (const text of ['', '   ', '?!', '()', '--']) expect(await search(of.companyId, text)).toEqual([])
    })

    test('query syntax in user text is treated as text, never as an error', async () => {
      const of = owner()
      const target = entry(of, 'password reset steps')
      await index.upsert([target])
      const hostile = [
        "password' OR 1=1 --",
        'password & reset | !steps',
        'password:* <-> (reset',
        '"password reset',
        'password\\ reset\u0000',
        'NOT AND OR -password',
        `${'password '.repeat(200)}`,
      ]
      for (const text of hostile) {
        const hits = await search(of.companyId, text)
        expect(Array.isArray(hits)).toBe(true)
        expect(hits.every((hit) => hit.id === target.id)).toBe(true)
      }
      expect(ids(await search(of.companyId, 'password reset'))).toEqual([target.id])
    })

    test('an already-aborted signal fails every call with CANCELLED', async () => {
      const signal = AbortSignal.abort()
      const of = owner()
      await expectCoreError(index.upsert([entry(of, 'gamma')], { signal }), 'CANCELLED')
      await expectCoreError(
        index.search({ filter: { companyId: of.companyId }, text: 'gamma', topK: 3 }, { signal }),
        'CANCELLED',
      )
      await expectCoreError(index.deleteByFilter({ companyId: of.companyId }, { signal }), 'CANCELLED')
      expect(await search(of.companyId, 'gamma')).toEqual([])
    })
  })
}
