import type { ChunkId, CompanyId, DocumentId, KeywordEntry, KnowledgeBaseId } from '@agentry/contracts'
import { newId } from '@agentry/contracts/testing'
import { describe, expect, it } from 'vitest'
import { keywordTokens } from './keyword-tokens.js'
import { MemoryKeywordIndex } from './memory-keyword-index.js'

const entry = (companyId: CompanyId, text: string): KeywordEntry => ({
  id: newId<ChunkId>(),
  companyId,
  knowledgeBaseId: newId<KnowledgeBaseId>(),
  documentId: newId<DocumentId>(),
  text,
})

describe('keywordTokens', () => {
  it('lowercases words in any script and splits on everything else', () => {
    expect(keywordTokens('Hello, WORLD! Größe 42-b; 東京 naïve')).toEqual([
      'hello',
      'world',
      'größe',
      '42',
      'b',
      '東京',
      'naïve',
    ])
    expect(keywordTokens(' \u0000 -- "" ')).toEqual([])
  })
})

describe('MemoryKeywordIndex', () => {
  it('keeps term statistics per company, so one tenant’s data never shifts another’s scores', async () => {
    const index = new MemoryKeywordIndex()
    const mine = newId<CompanyId>()
    await index.upsert([entry(mine, 'refund policy'), entry(mine, 'shipping policy')])
    const before = await index.search({ filter: { companyId: mine }, text: 'refund', topK: 5 })
    await index.upsert(Array.from({ length: 50 }, () => entry(newId<CompanyId>(), 'refund refund refund')))
    const after = await index.search({ filter: { companyId: mine }, text: 'refund', topK: 5 })
    expect(after).toEqual(before)
  })

  it('ranks rarer terms higher (idf) and repeated terms higher with saturation (tf)', async () => {
    const index = new MemoryKeywordIndex()
    const companyId = newId<CompanyId>()
    const rare = entry(companyId, 'the warranty covers parts')
    const common = entry(companyId, 'the the the store')
    await index.upsert([rare, common, entry(companyId, 'the office'), entry(companyId, 'the team')])
    const hits = await index.search({ filter: { companyId }, text: 'the warranty', topK: 5 })
    expect(hits[0]?.id).toBe(rare.id)
  })
})
