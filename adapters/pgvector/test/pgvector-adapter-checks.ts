import type { ChunkId, CompanyId, DocumentId, KnowledgeBaseId } from '@agentry/contracts'
import { basisVector, newId } from '@agentry/contracts/testing'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestPgvector } from './pgvector-test-database.js'

const owner = (companyId = newId<CompanyId>(), knowledgeBaseId = newId<KnowledgeBaseId>()) => ({
  companyId,
  knowledgeBaseId,
  documentId: newId<DocumentId>(),
})
const entry = (of: ReturnType<typeof owner>, text: string) => ({ id: newId<ChunkId>(), ...of, text })

/** BM25 as a textbook writes it, over terms the test spells out (stemmed as PostgreSQL does). */
function bm25(documents: readonly string[][], query: readonly string[], k1 = 1.2, b = 0.75): number[] {
  const averageLength = documents.reduce((total, terms) => total + terms.length, 0) / documents.length
  return documents.map((terms) =>
    query.reduce((score, term) => {
      const frequency = terms.filter((candidate) => candidate === term).length
      if (frequency === 0) return score
      const withTerm = documents.filter((other) => other.includes(term)).length
      const idf = Math.log(1 + (documents.length - withTerm + 0.5) / (withTerm + 0.5))
      return (
        score + (idf * frequency * (k1 + 1)) / (frequency + k1 * (1 - b + (b * terms.length) / averageLength))
      )
    }, 0),
  )
}

/**
 * What the kits do not cover: exact BM25 scores and statistics, NUL bytes, and row-level security
 * on the adapter's own tables. Run on PGlite and on PostgreSQL 15.
 */
export function describePgvectorAdapter(name: string, open: () => Promise<TestPgvector>): void {
  describe(name, () => {
    let pgvector: TestPgvector
    beforeAll(async () => {
      pgvector = await open()
    })
    afterAll(() => pgvector?.close())

    describe('PgvectorKeywordIndex', () => {
      it('scores exactly BM25 over the searched knowledge bases', async () => {
        const of = owner()
        const texts = ['pump pump valve', 'valve seal gasket seal', 'pump', 'gasket housing bolt bolt bolt']
        const entries = texts.map((text) => entry(of, text))
        await pgvector.keywordIndex.upsert(entries)
        const other = owner(of.companyId)
        await pgvector.keywordIndex.upsert([entry(other, 'pump pump pump pump')])
        const hits = await pgvector.keywordIndex.search({
          filter: { companyId: of.companyId, knowledgeBaseIds: [of.knowledgeBaseId] },
          text: 'pumps and valves',
          topK: 10,
        })
        const expected = bm25(
          texts.map((text) => text.split(' ')),
          ['pump', 'valve'],
        )
        const byId = new Map(hits.map((hit) => [hit.id, hit.score]))
        for (const [index, item] of entries.entries()) {
          if (expected[index] === 0) expect(byId.has(item.id)).toBe(false)
          else expect(byId.get(item.id)).toBeCloseTo(expected[index] ?? 0, 9)
        }
      })

      it('keeps its statistics exact through replacements and deletes', async () => {
        const of = owner()
        const first = entry(of, 'alpha beta gamma')
        const second = entry(owner(of.companyId, of.knowledgeBaseId), 'alpha delta')
        await pgvector.keywordIndex.upsert([first, second])
        await pgvector.keywordIndex.upsert([{ ...first, text: 'alpha alpha beta beta epsilon zeta' }])
        await pgvector.keywordIndex.deleteByFilter({ companyId: of.companyId, documentIds: [] })
        const statistics = () =>
          pgvector.database.withTenant({ type: 'tenant', companyId: of.companyId }, 'test', async (db) => {
            const result = await sql<{ entry_count: string; total_length: string }>`
          SELECT entry_count, total_length FROM keyword_statistics WHERE knowledge_base_id = ${of.knowledgeBaseId}
        `.execute(db)
            return result.rows.map((row) => [Number(row.entry_count), Number(row.total_length)])
          })
        expect(await statistics()).toEqual([[2, 8]])
        expect(
          await pgvector.keywordIndex.deleteByFilter({
            companyId: of.companyId,
            documentIds: [second.documentId],
          }),
        ).toBe(1)
        expect(await statistics()).toEqual([[1, 6]])
        const removed = await pgvector.keywordIndex.deleteByFilter({
          companyId: of.companyId,
          knowledgeBaseIds: [of.knowledgeBaseId],
        })
        expect(removed).toBe(1)
        expect(await statistics()).toEqual([])
      })

      it('strips NUL characters from texts and queries', async () => {
        const of = owner()
        const target = entry(of, 'over\u0000flow valve')
        await pgvector.keywordIndex.upsert([target])
        const hits = await pgvector.keywordIndex.search({
          filter: { companyId: of.companyId },
          text: 'overflow\u0000',
          topK: 3,
        })
        expect(hits.map((hit) => hit.id)).toEqual([target.id])
      })
    })

    describe('row-level security on the adapter tables', () => {
      it('shows a unit of work only its own company’s rows, whatever the SQL asks', async () => {
        const mine = owner()
        const theirs = owner()
        await pgvector.vectorStore.upsert([{ id: newId<ChunkId>(), ...theirs, vector: basisVector(4, 0) }])
        await pgvector.keywordIndex.upsert([entry(theirs, 'secret formula')])
        const counts = await pgvector.database.withTenant(
          { type: 'tenant', companyId: mine.companyId },
          'test',
          async (db) => {
            const result = await sql<{ vectors: string; postings: string; entries: string }>`
        SELECT (SELECT count(*) FROM chunk_vectors) AS vectors,
          (SELECT count(*) FROM keyword_postings) AS postings,
          (SELECT count(*) FROM keyword_entries) AS entries
      `.execute(db)
            return result.rows[0]
          },
        )
        expect(counts).toEqual({ vectors: '0', postings: '0', entries: '0' })
        await expect(
          pgvector.database.withTenant({ type: 'tenant', companyId: mine.companyId }, 'test', (db) =>
            sql`INSERT INTO keyword_entries (company_id, id, knowledge_base_id, document_id, length)
          VALUES (${theirs.companyId}, ${newId()}, ${theirs.knowledgeBaseId}, ${theirs.documentId}, 1)`.execute(
              db,
            ),
          ),
        ).rejects.toMatchObject({ code: 'FORBIDDEN' })
      })
    })
  })
}
