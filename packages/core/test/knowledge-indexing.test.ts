import type { CompanyId, DocumentId, TenantScope, VectorStore } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import { waitUntil } from '@agentry/contracts/testing'
import type { MemoryVectorStore } from '@agentry/memory'
import { afterEach, describe, expect, it } from 'vitest'
import { createKnowledgeWorld, type KnowledgeWorld } from './knowledge-world.js'

let world: KnowledgeWorld
afterEach(() => world?.close())

/** Eight sections: eight chunks whatever the chunk size. */
const MANUAL = Array.from(
  { length: 8 },
  (_, index) => `## Step ${index + 1}\n\nTurn dial ${index + 1} until the pump indicator shows green.`,
).join('\n\n')

/** A vector store that misbehaves on chosen upsert calls (counted from 1 over the store's life). */
function failingOn(calls: (call: number) => boolean, error: () => Error) {
  return (store: MemoryVectorStore): VectorStore => {
    let call = 0
    return {
      dimensions: store.dimensions,
      upsert: async (points, options) => {
        call += 1
        if (calls(call)) throw error()
        return store.upsert(points, options)
      },
      query: (request, options) => store.query(request, options),
      deleteByFilter: (filter, options) => store.deleteByFilter(filter, options),
      close: () => store.close(),
    }
  }
}

async function counts(scope: TenantScope, documentId: DocumentId) {
  const filter = { companyId: scope.companyId as CompanyId, documentIds: [documentId] }
  const chunks = await world.stores.chunks.listForDocument(scope, documentId)
  const vectors = await world.vectors.query({
    filter,
    vector: new Float32Array(world.vectors.dimensions).fill(1),
    topK: 1000,
  })
  const keywords = await world.keywords.search({ filter, text: 'dial pump indicator', topK: 1000 })
  return { chunks: chunks.length, vectors: vectors.length, keywords: keywords.length }
}

async function addManual() {
  const { context, companyId } = await world.company()
  const scope: TenantScope = { type: 'tenant', companyId: companyId as CompanyId }
  const base = await world.knowledge.service.createKnowledgeBase(context, { name: 'Manuals' })
  const { document, jobId } = await world.knowledge.service.addDocument(context, base.id, {
    type: 'text',
    text: MANUAL,
    format: 'markdown',
    title: 'Pump manual',
  })
  return { context, scope, document, jobId }
}

describe('the kb.index job', () => {
  it('dies half-way through the upserts, is retried, and leaves no duplicates or double billing', async () => {
    const unavailable = () => new CoreError('UNAVAILABLE', 'vector store restarting')
    world = createKnowledgeWorld({
      vectors: failingOn((call) => call === 2, unavailable),
      upsertBatchSize: 3,
      embeddingBatchSize: 3,
    })
    const { context, scope, document, jobId } = await addManual()
    const ready = await world.settled(context, document.id)
    expect(ready.status).toBe('ready')
    expect(ready.chunkCount).toBe(8)
    expect(await world.queue.get(scope, jobId)).toMatchObject({ status: 'completed', attempts: 2 })
    expect(await counts(scope, document.id)).toEqual({ chunks: 8, vectors: 8, keywords: 8 })
    // 8 chunks in batches of 3: three embedding calls per attempt, billed once each.
    const usage = await world.stores.usage.list(scope, { kind: 'embedding.tokens' })
    expect(usage.items).toHaveLength(3)
    expect(new Set(usage.items.map((event) => event.id)).size).toBe(3)
    expect(usage.items.every((event) => event.provider === 'local' && event.quantity > 0)).toBe(true)
  })

  it('fails the document with the reason after its last attempt, and clears what it indexed', async () => {
    world = createKnowledgeWorld({
      vectors: failingOn(
        (call) => call % 2 === 0,
        () => new Error('disk full'),
      ),
      upsertBatchSize: 4,
      limits: { indexAttempts: 2 },
    })
    const { context, scope, document, jobId } = await addManual()
    const failed = await world.settled(context, document.id)
    expect(failed.status).toBe('failed')
    expect(failed.error).toContain('disk full')
    expect(failed.error).toContain('re-index')
    expect(await world.queue.get(scope, jobId)).toMatchObject({ status: 'failed', attempts: 2 })
    expect(await counts(scope, document.id)).toEqual({ chunks: 0, vectors: 0, keywords: 0 })
  })

  it('leaves nothing behind when the document is deleted while it runs', async () => {
    let deleteNow: (() => Promise<void>) | undefined
    world = createKnowledgeWorld({
      vectors: (store) => ({
        dimensions: store.dimensions,
        upsert: async (points, options) => {
          await deleteNow?.()
          deleteNow = undefined
          return store.upsert(points, options)
        },
        query: (request, options) => store.query(request, options),
        deleteByFilter: (filter, options) => store.deleteByFilter(filter, options),
        close: () => store.close(),
      }),
      upsertBatchSize: 3,
    })
    const { context, companyId } = await world.company()
    const scope: TenantScope = { type: 'tenant', companyId: companyId as CompanyId }
    const base = await world.knowledge.service.createKnowledgeBase(context, { name: 'Manuals' })
    let documentId: DocumentId | undefined
    deleteNow = () => world.knowledge.service.deleteDocument(context, documentId!)
    const { document, jobId } = await world.knowledge.service.addDocument(context, base.id, {
      type: 'text',
      text: MANUAL,
      format: 'markdown',
    })
    documentId = document.id
    const job = await waitForJob(scope, jobId)
    expect(job.status).toBe('completed')
    expect(job.result).toMatchObject({ skipped: 'the document was deleted' })
    expect(await counts(scope, document.id)).toEqual({ chunks: 0, vectors: 0, keywords: 0 })
  })
})

function waitForJob(scope: TenantScope, jobId: Parameters<KnowledgeWorld['queue']['get']>[1]) {
  return waitUntil(async () => {
    const job = await world.queue.get(scope, jobId)
    return job && (job.status === 'completed' || job.status === 'failed') ? job : null
  })
}
