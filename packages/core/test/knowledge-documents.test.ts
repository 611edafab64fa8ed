import type { CompanyId, DocumentId, KnowledgeBase, TenantScope } from '@agentry/contracts'
import { expectCoreError } from '@agentry/contracts/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { collectTurn, type RequestContext } from '../src/index.js'
import { createKnowledgeWorld, type KnowledgeWorld } from './knowledge-world.js'

let world: KnowledgeWorld
afterEach(() => world?.close())

const RETURNS = [
  '# Returns policy',
  '',
  'Items can be returned within 30 days of delivery for a full refund.',
  '',
  '## Damaged items',
  '',
  'Report damaged parcels within 48 hours with a photo of the damage.',
].join('\n')

async function setUp(options: Parameters<typeof createKnowledgeWorld>[0] = {}) {
  world = createKnowledgeWorld(options)
  const { context, companyId } = await world.company()
  const base = await world.knowledge.service.createKnowledgeBase(context, { name: 'Support' })
  return { context, scope: { type: 'tenant', companyId } as TenantScope, base }
}

/** What the document has in each index: chunks in the store, vectors, keyword entries. */
async function indexed(scope: TenantScope, base: KnowledgeBase, documentId: DocumentId) {
  const chunks = await world.stores.chunks.listForDocument(scope, documentId)
  const filter = { companyId: scope.companyId as CompanyId, documentIds: [documentId] }
  const probe = new Float32Array(world.vectors.dimensions).fill(1)
  const vectors = await world.vectors.query({ filter, vector: probe, topK: 1000 })
  const keywords = await world.keywords.search({ filter, text: 'returned damaged refund photo', topK: 1000 })
  expect(new Set(vectors.map((hit) => hit.knowledgeBaseId))).toEqual(
    new Set(chunks.length > 0 ? [base.id] : []),
  )
  return {
    chunkIds: chunks.map((chunk) => chunk.id).sort(),
    vectorIds: vectors.map((hit) => hit.id).sort(),
    keywordIds: keywords.map((hit) => hit.id).sort(),
  }
}

async function add(context: RequestContext, base: KnowledgeBase, text = RETURNS, title?: string) {
  return world.knowledge.service.addDocument(context, base.id, {
    type: 'text',
    text,
    format: 'markdown',
    ...(title ? { title } : {}),
  })
}

describe('documents', () => {
  it('go pending -> ready, with chunks, vectors and keyword entries that agree', async () => {
    const { context, scope, base } = await setUp()
    const { document, jobId } = await add(context, base)
    expect(document).toMatchObject({ status: 'pending', title: 'Returns policy', mediaType: 'text/markdown' })
    expect(document.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(jobId).toBeTruthy()
    const ready = await world.settled(context, document.id)
    expect(ready).toMatchObject({ status: 'ready', error: null, chunkCount: 2 })
    expect(ready.tokenCount).toBeGreaterThan(20)
    expect(ready.indexedAt).toBeInstanceOf(Date)
    const chunks = await world.stores.chunks.listForDocument(scope, document.id)
    expect(chunks.map((chunk) => chunk.headingPath)).toEqual([
      ['Returns policy'],
      ['Returns policy', 'Damaged items'],
    ])
    const { chunkIds, vectorIds, keywordIds } = await indexed(scope, base, document.id)
    expect(vectorIds).toEqual(chunkIds)
    expect(keywordIds).toEqual(chunkIds)
    const listed = await world.knowledge.service.listDocuments(context, base.id)
    expect(listed.items.map((item) => item.id)).toEqual([document.id])
  })

  it('with the same content are a CONFLICT naming the existing document, unless allowed', async () => {
    const { context, base } = await setUp()
    const first = await add(context, base)
    const error = await expectCoreError(add(context, base, RETURNS, 'Copy'), 'CONFLICT')
    expect(error.message).toContain(first.document.id)
    expect(error.details).toMatchObject({ documentId: first.document.id })
    const copy = await world.knowledge.service.addDocument(
      context,
      base.id,
      { type: 'text', text: RETURNS, format: 'markdown' },
      { allowDuplicate: true },
    )
    expect(copy.document.sha256).toBe(first.document.sha256)
    const other = await world.knowledge.service.createKnowledgeBase(context, { name: 'Other' })
    await add(context, other)
  })

  it('over the size limit are PAYLOAD_TOO_LARGE, and empty ones INVALID_INPUT', async () => {
    const { context, base } = await setUp({ limits: { maxDocumentBytes: 100 } })
    const error = await expectCoreError(add(context, base, 'x'.repeat(101)), 'PAYLOAD_TOO_LARGE')
    expect(error.details).toMatchObject({ maxBytes: 100, sizeBytes: 101 })
    await add(context, base, 'y'.repeat(100))
    await expectCoreError(add(context, base, '   '), 'INVALID_INPUT')
    await expectCoreError(
      world.knowledge.service.addDocument(context, base.id, {
        type: 'upload',
        filename: 'big.txt',
        content: new Uint8Array(101).fill(65),
      }),
      'PAYLOAD_TOO_LARGE',
    )
  })

  it('of an unsupported type are UNSUPPORTED_MEDIA_TYPE naming the supported ones', async () => {
    const { context, base } = await setUp()
    const upload = (filename: string, mediaType: string | null, text = 'Opening hours: 9 to 5.') =>
      world.knowledge.service.addDocument(context, base.id, {
        type: 'upload',
        filename,
        mediaType,
        content: new TextEncoder().encode(text),
      })
    const error = await expectCoreError(upload('logo.png', 'image/png'), 'UNSUPPORTED_MEDIA_TYPE')
    expect(error.message).toContain('image/png')
    expect(error.message).toContain('text/plain, text/markdown, text/html, application/pdf')
    expect(error.message).toContain('.md')
    expect((await upload('notes.md', 'application/octet-stream')).document.mediaType).toBe('text/markdown')
    expect((await upload('faq.md', 'text/plain', 'FAQ')).document.mediaType).toBe('text/markdown')
    expect((await upload('page.htm', null, '<p>Hi</p>')).document).toMatchObject({
      mediaType: 'text/html',
      title: 'page.htm',
      source: { type: 'upload', filename: 'page.htm' },
    })
    await expectCoreError(upload('archive.zip', null), 'UNSUPPORTED_MEDIA_TYPE')
  })

  it('that cannot be parsed fail at once with the reason, leaving nothing indexed', async () => {
    const { context, scope, base } = await setUp()
    const { document } = await world.knowledge.service.addDocument(context, base.id, {
      type: 'upload',
      filename: 'broken.pdf',
      content: new TextEncoder().encode('%PDF-1.7 this is not really a PDF'),
    })
    const failed = await world.settled(context, document.id)
    expect(failed.status).toBe('failed')
    expect(failed.error).toMatch(/PDF/)
    const job = await world.queue.get(scope, (await world.queue.listFailed('kb.index'))[0]!.id)
    expect(job).toMatchObject({ status: 'failed', attempts: 1 })
    expect(await indexed(scope, base, document.id)).toEqual({ chunkIds: [], vectorIds: [], keywordIds: [] })
  })

  it('deleted lose their chunks, vectors and keyword entries; other documents keep theirs', async () => {
    const { context, scope, base } = await setUp()
    const doomed = await add(context, base)
    const kept = await add(context, base, 'Refunds are returned to the original card.')
    await world.settled(context, doomed.document.id)
    await world.settled(context, kept.document.id)
    const before = await indexed(scope, base, kept.document.id)
    await world.knowledge.service.deleteDocument(context, doomed.document.id)
    await expectCoreError(world.knowledge.service.getDocument(context, doomed.document.id), 'NOT_FOUND')
    expect(await indexed(scope, base, doomed.document.id)).toEqual({
      chunkIds: [],
      vectorIds: [],
      keywordIds: [],
    })
    expect(await indexed(scope, base, kept.document.id)).toEqual(before)
    const audit = await world.stores.audit.list(scope)
    expect(audit.items.map((entry) => entry.action)).toContain('document.delete')
  })

  it('re-indexed replace every chunk, vector and keyword entry (new chunking applies)', async () => {
    const { context, scope, base } = await setUp()
    const long = Array.from({ length: 30 }, (_, index) => `Rule ${index}: returned goods are checked.`)
    const { document } = await add(context, base, long.join('\n\n'), 'Rules')
    await world.settled(context, document.id)
    const before = await indexed(scope, base, document.id)
    expect(before.chunkIds).toHaveLength(1)
    await world.knowledge.service.updateKnowledgeBase(context, base.id, {
      chunking: { maxTokens: 60, overlapTokens: 10 },
    })
    const queued = await world.knowledge.service.reindexDocument(context, document.id)
    expect(queued.document.status).toBe('pending')
    const ready = await world.settled(context, document.id)
    const after = await indexed(scope, base, document.id)
    expect(after.chunkIds.length).toBeGreaterThan(4)
    expect(ready.chunkCount).toBe(after.chunkIds.length)
    expect(after.vectorIds).toEqual(after.chunkIds)
    expect(after.keywordIds).toEqual(after.chunkIds)
    expect(after.chunkIds.some((id) => before.chunkIds.includes(id))).toBe(false)
  })
})

describe('a turn of an agent with knowledge bases', () => {
  it('answers from the right document and cites it, and bills the knowledge query', async () => {
    const { context, scope, base } = await setUp()
    const returns = await add(context, base)
    const other = await add(
      context,
      base,
      '# Opening hours\n\nThe support desk is open Monday to Friday, 9:00 to 17:00.',
    )
    await world.settled(context, returns.document.id)
    await world.settled(context, other.document.id)
    const { agent } = await world.runtime.agents.create(context, {
      name: 'Support',
      config: {
        systemPrompt: 'Answer from the knowledge base.',
        knowledge: { knowledgeBaseIds: [base.id], topK: 2 },
      },
    })
    const result = await collectTurn(
      world.runtime.orchestrator.run({
        context,
        agentId: agent.id,
        message: 'How long do I have to report a damaged parcel?',
      }),
    )
    expect(result.citations[0]).toMatchObject({
      documentId: returns.document.id,
      documentTitle: 'Returns policy',
    })
    expect(result.message.content).toContain('[1]')
    expect(result.message.content).toContain('48 hours')
    expect(result.usage.kbQueries).toBe(1)
    const usage = await world.stores.usage.list(scope, { kind: 'kb.query' })
    expect(usage.items).toHaveLength(1)
  })
})
