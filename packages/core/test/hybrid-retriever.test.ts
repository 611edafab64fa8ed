import type {
  ChunkId,
  EmbeddingModel,
  KnowledgeBase,
  KnowledgeBaseId,
  KnowledgeDocument,
  TenantScope,
} from '@agentry/contracts'
import {
  basisVector,
  blendVector,
  makeChunk,
  makeDocument,
  makeKnowledgeBase,
  makeTenant,
} from '@agentry/contracts/testing'
import { createMemoryStores, MemoryKeywordIndex, MemoryVectorStore } from '@agentry/memory'
import { beforeEach, describe, expect, it } from 'vitest'
import { HybridRetriever, type HybridRetrieverOptions, indexedText } from '../src/index.js'

const DIMENSIONS = 8

/** Embeds a query as the vector the test chose for it, and counts calls. */
class ChosenEmbeddings implements EmbeddingModel {
  readonly provider = 'test'
  readonly modelId = 'chosen'
  readonly dimensions = DIMENSIONS
  readonly maxBatchSize = 16
  calls = 0
  constructor(readonly vectors: Record<string, Float32Array>) {}
  async embed(texts: readonly string[]) {
    this.calls += 1
    return {
      vectors: texts.map((text) => this.vectors[text] ?? basisVector(DIMENSIONS, 7)),
      usage: { tokens: texts.length * 5 },
    }
  }
}

let stores: ReturnType<typeof createMemoryStores>
let vectors: MemoryVectorStore
let keywords: MemoryKeywordIndex
let embeddings: ChosenEmbeddings

beforeEach(() => {
  stores = createMemoryStores()
  vectors = new MemoryVectorStore({ dimensions: DIMENSIONS })
  keywords = new MemoryKeywordIndex()
  embeddings = new ChosenEmbeddings({ 'damaged parcel': basisVector(DIMENSIONS, 0) })
})

function retriever(options: HybridRetrieverOptions = {}) {
  return new HybridRetriever({ stores, vectors, keywords, embeddings, options })
}

/** A company with a knowledge base, and a way to add one chunk with its vector and keyword text. */
async function company() {
  const { company, scope } = makeTenant()
  await stores.companies.create({ type: 'system', reason: 'test' }, company)
  const base = await stores.knowledgeBases.create(scope, makeKnowledgeBase({ companyId: company.id }))
  return {
    scope,
    base,
    add: (text: string, vector: Float32Array, extra = {}) => add(scope, base, text, vector, extra),
  }
}

async function add(
  scope: TenantScope,
  base: KnowledgeBase,
  text: string,
  vector: Float32Array,
  extra: Partial<KnowledgeDocument> = {},
) {
  const document = await stores.documents.create(
    scope,
    makeDocument(base, { title: `Doc ${text.slice(0, 12)}`, status: 'ready', ...extra }),
    new TextEncoder().encode(text),
  )
  const chunk = makeChunk(document, { text, page: 3, startOffset: 10, endOffset: 10 + text.length })
  await stores.chunks.replaceForDocument(scope, document.id, [chunk])
  const owner = {
    id: chunk.id,
    companyId: scope.companyId,
    knowledgeBaseId: base.id,
    documentId: document.id,
  }
  await vectors.upsert([{ ...owner, vector }])
  await keywords.upsert([{ ...owner, text: indexedText(document.title, chunk) }])
  return { document, chunk }
}

const request = (scope: TenantScope, knowledgeBaseIds: readonly KnowledgeBaseId[], extra = {}) => ({
  scope,
  agentId: 'agent' as never,
  sessionId: 'session' as never,
  turnId: 'turn' as never,
  knowledgeBaseIds,
  query: 'damaged parcel',
  topK: 5,
  minScore: 0,
  mode: 'hybrid' as const,
  ...extra,
})

describe('HybridRetriever', () => {
  it('fuses vector and keyword ranks, and cites document, chunk, page, offsets and snippet', async () => {
    const { scope, base, add } = await company()
    const both = await add(
      'A damaged parcel is replaced for free.',
      blendVector(DIMENSIONS, { 0: 1, 1: 0.3 }),
    )
    const vectorOnly = await add('Broken deliveries get a new item.', basisVector(DIMENSIONS, 0))
    const keywordOnly = await add('Parcel tracking numbers arrive by email.', basisVector(DIMENSIONS, 3))
    const result = await retriever().retrieve(request(scope, [base.id]))
    // Every chunk is somewhere in the vector list; only two contain query words.
    expect(result.passages.map((passage) => passage.citation.chunkId)).toEqual([
      both.chunk.id,
      keywordOnly.chunk.id,
      vectorOnly.chunk.id,
    ])
    const [first] = result.passages
    expect(first).toMatchObject({ index: 1, title: both.document.title, text: both.chunk.text })
    expect(first?.citation).toEqual({
      index: 1,
      chunkId: both.chunk.id,
      documentId: both.document.id,
      knowledgeBaseId: base.id,
      documentTitle: both.document.title,
      page: 3,
      startOffset: 10,
      endOffset: 10 + both.chunk.text.length,
      snippet: both.chunk.text,
      score: expect.any(Number),
    })
    expect(first?.citation.score).toBeGreaterThan(0.9)
    expect(result.passages[2]?.citation.score).toBeCloseTo(0.5, 12)
    expect(result.embedding).toEqual({ tokens: 5, provider: 'test', model: 'chosen' })
  })

  it('never returns chunks of another company or of knowledge bases the request does not name', async () => {
    const mine = await company()
    const theirs = await company()
    const otherBase = await stores.knowledgeBases.create(
      mine.scope,
      makeKnowledgeBase({ companyId: mine.scope.companyId }),
    )
    const wanted = await mine.add('damaged parcel claims', blendVector(DIMENSIONS, { 0: 1, 2: 1 }))
    await theirs.add('damaged parcel damaged parcel', basisVector(DIMENSIONS, 0))
    await add(mine.scope, otherBase, 'damaged parcel damaged parcel', basisVector(DIMENSIONS, 0))
    const result = await retriever().retrieve(request(mine.scope, [mine.base.id]))
    expect(result.passages.map((passage) => passage.citation.chunkId)).toEqual([wanted.chunk.id])
    const none = await retriever().retrieve(request(theirs.scope, [mine.base.id]))
    expect(none.passages).toEqual([])
  })

  it('applies topK and minScore to the normalised fused score', async () => {
    const { scope, base, add } = await company()
    for (let index = 0; index < 6; index += 1) {
      await add(`damaged parcel note ${index}`, blendVector(DIMENSIONS, { 0: 1, 1: index * 0.4 }))
    }
    await add('Shipping rates for Norway.', basisVector(DIMENSIONS, 5))
    const top = await retriever().retrieve(request(scope, [base.id], { topK: 3 }))
    expect(top.passages.map((passage) => passage.index)).toEqual([1, 2, 3])
    const all = await retriever().retrieve(request(scope, [base.id], { topK: 20 }))
    expect(all.passages).toHaveLength(7)
    const strict = await retriever().retrieve(request(scope, [base.id], { topK: 20, minScore: 0.6 }))
    expect(strict.passages).toHaveLength(6)
    expect(strict.passages.every((passage) => passage.citation.score >= 0.6)).toBe(true)
  })

  it('in keyword mode does not embed, in vector mode ignores the keyword index', async () => {
    const { scope, base, add } = await company()
    const keywordHit = await add('damaged parcel form', basisVector(DIMENSIONS, 4))
    const vectorHit = await add('Broken deliveries', basisVector(DIMENSIONS, 0))
    const keyword = await retriever().retrieve(request(scope, [base.id], { mode: 'keyword' }))
    expect(embeddings.calls).toBe(0)
    expect(keyword.embedding).toBeNull()
    expect(keyword.passages.map((passage) => passage.citation.chunkId)).toEqual([keywordHit.chunk.id])
    const vector = await retriever().retrieve(request(scope, [base.id], { mode: 'vector', topK: 1 }))
    expect(vector.passages.map((passage) => passage.citation.chunkId)).toEqual([vectorHit.chunk.id])
    expect(vector.passages[0]?.citation.score).toBe(1)
  })

  it('drops hits whose chunk is gone and fills up from further down', async () => {
    const { scope, base, add } = await company()
    const gone = await add('damaged parcel A', basisVector(DIMENSIONS, 0))
    const kept = await add('damaged parcel B', blendVector(DIMENSIONS, { 0: 1, 1: 1 }))
    await stores.chunks.replaceForDocument(scope, gone.document.id, [])
    const result = await retriever().retrieve(request(scope, [base.id], { topK: 1 }))
    expect(result.passages.map((passage) => passage.citation.chunkId)).toEqual([kept.chunk.id])
    expect(result.passages[0]?.index).toBe(1)
  })

  it('search bills one kb.query and the query embedding; retrieve leaves billing to the turn', async () => {
    const { scope, base, add } = await company()
    await add('damaged parcel', basisVector(DIMENSIONS, 0))
    await retriever().retrieve(request(scope, [base.id]))
    expect((await stores.usage.list(scope)).items).toEqual([])
    const found = await retriever({ rrfK: 10 }).search(scope, {
      knowledgeBaseIds: [base.id],
      query: 'damaged parcel',
      topK: 3,
    })
    expect(found.hits[0]?.ranks).toEqual({
      vector: { rank: 1, score: expect.closeTo(1, 5) },
      keyword: { rank: 1, score: expect.any(Number) },
    })
    const usage = (await stores.usage.list(scope)).items
    expect(usage.map((event) => [event.kind, event.quantity])).toEqual([
      ['kb.query', 1],
      ['embedding.tokens', 5],
    ])
    const chunkIds = found.hits.map((hit) => hit.citation.chunkId as ChunkId)
    expect(chunkIds).toHaveLength(1)
  })
})
