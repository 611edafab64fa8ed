import { expect } from 'vitest'
import type { DocumentId, KnowledgeBaseId } from '../../ids.js'
import type { Stores } from '../../ports/stores/stores.js'
import type { TenantScope } from '../../scope.js'
import { expectCoreError } from '../expect-core-error.js'
import { makeChunk, makeDocument, makeKnowledgeBase, newId } from '../fixtures.js'
import { allPages, idsOf, type StoreKit, seedTenant, timeline } from './store-kit-context.js'

const bytes = (text: string) => new TextEncoder().encode(text)

async function seedBase(stores: Stores, scope: TenantScope) {
  return stores.knowledgeBases.create(scope, makeKnowledgeBase(scope))
}

/** `KnowledgeBaseStore` and `DocumentStore`. */
export function describeKnowledgeStores({ stores, test }: StoreKit): void {
  test('knowledge bases: create, get, and list oldest first with a cursor', async () => {
    const { scope } = await seedTenant(stores())
    const at = timeline()
    const bases = [1, 2, 3].map((offset) =>
      makeKnowledgeBase(scope, { createdAt: at(offset), updatedAt: at(offset) }),
    )
    for (const base of [...bases].reverse())
      expect(await stores().knowledgeBases.create(scope, base)).toEqual(base)
    expect(await stores().knowledgeBases.get(scope, bases[0]!.id)).toEqual(bases[0])
    expect(await stores().knowledgeBases.get(scope, newId<KnowledgeBaseId>())).toBeNull()
    const pages = await allPages((page) => stores().knowledgeBases.list(scope, page), 2)
    expect(pages.map((page) => page.length)).toEqual([2, 1])
    expect(pages.flat()).toEqual(bases)
  })

  test('knowledge bases: names are unique per company, ids unique', async () => {
    const { scope } = await seedTenant(stores())
    const other = await seedTenant(stores())
    const base = await seedBase(stores(), scope)
    await expectCoreError(
      stores().knowledgeBases.create(scope, makeKnowledgeBase(scope, { name: base.name })),
      'CONFLICT',
    )
    await expectCoreError(stores().knowledgeBases.create(scope, { ...base, name: 'Different' }), 'CONFLICT')
    await stores().knowledgeBases.create(other.scope, makeKnowledgeBase(other.scope, { name: base.name }))
  })

  test('knowledge bases: update patches fields and refuses a taken name', async () => {
    const { scope } = await seedTenant(stores())
    const base = await seedBase(stores(), scope)
    const taken = await seedBase(stores(), scope)
    const updatedAt = new Date(base.updatedAt.getTime() + 1000)
    const patch = { description: 'Policies', chunking: { maxTokens: 400, overlapTokens: 40 }, updatedAt }
    expect(await stores().knowledgeBases.update(scope, base.id, patch)).toEqual({ ...base, ...patch })
    await expectCoreError(
      stores().knowledgeBases.update(scope, base.id, { name: taken.name, updatedAt }),
      'CONFLICT',
    )
    expect(await stores().knowledgeBases.get(scope, base.id)).toEqual({ ...base, ...patch })
    expect(await stores().knowledgeBases.update(scope, newId<KnowledgeBaseId>(), patch)).toBeNull()
  })

  test('knowledge bases: delete removes their documents and chunks', async () => {
    const { scope } = await seedTenant(stores())
    const base = await seedBase(stores(), scope)
    const kept = await seedBase(stores(), scope)
    const document = await stores().documents.create(scope, makeDocument(base), bytes('hello'))
    const keptDocument = await stores().documents.create(scope, makeDocument(kept), bytes('kept'))
    const chunk = makeChunk(document)
    await stores().chunks.replaceForDocument(scope, document.id, [chunk])
    expect(await stores().knowledgeBases.delete(scope, base.id)).toBe(true)
    expect(await stores().knowledgeBases.get(scope, base.id)).toBeNull()
    expect(await stores().documents.get(scope, document.id)).toBeNull()
    expect(await stores().documents.getContent(scope, document.id)).toBeNull()
    expect(await stores().chunks.getMany(scope, [chunk.id])).toEqual([])
    expect(await stores().knowledgeBases.delete(scope, base.id)).toBe(false)
    expect(await stores().documents.get(scope, keptDocument.id)).toEqual(keptDocument)
  })

  test('knowledge bases: another company can neither see nor change them', async () => {
    const owner = await seedTenant(stores())
    const intruder = await seedTenant(stores())
    const base = await seedBase(stores(), owner.scope)
    const at = new Date()
    expect(await stores().knowledgeBases.get(intruder.scope, base.id)).toBeNull()
    expect((await stores().knowledgeBases.list(intruder.scope)).items).toEqual([])
    expect(
      await stores().knowledgeBases.update(intruder.scope, base.id, { name: 'Mine now', updatedAt: at }),
    ).toBeNull()
    expect(await stores().knowledgeBases.delete(intruder.scope, base.id)).toBe(false)
    expect(await stores().knowledgeBases.get(owner.scope, base.id)).toEqual(base)
  })

  test('documents: create stores the row and its bytes', async () => {
    const { scope } = await seedTenant(stores())
    const base = await seedBase(stores(), scope)
    const document = makeDocument(base, {
      source: { type: 'upload', filename: 'policy.md' },
      mediaType: 'text/markdown',
    })
    const content = bytes('# Refunds\n\nWithin 14 days. ✓')
    expect(await stores().documents.create(scope, document, content)).toEqual(document)
    expect(await stores().documents.get(scope, document.id)).toEqual(document)
    expect(Array.from((await stores().documents.getContent(scope, document.id)) ?? [])).toEqual(
      Array.from(content),
    )
    expect(await stores().documents.get(scope, newId<DocumentId>())).toBeNull()
    expect(await stores().documents.getContent(scope, newId<DocumentId>())).toBeNull()
  })

  test('documents: a missing knowledge base is NOT_FOUND, an existing id CONFLICT', async () => {
    const { scope } = await seedTenant(stores())
    const base = await seedBase(stores(), scope)
    const ghost = makeDocument({ id: newId<KnowledgeBaseId>(), companyId: scope.companyId })
    await expectCoreError(stores().documents.create(scope, ghost, bytes('x')), 'NOT_FOUND')
    const document = await stores().documents.create(scope, makeDocument(base), bytes('x'))
    await expectCoreError(
      stores().documents.create(scope, { ...document, title: 'Again' }, bytes('y')),
      'CONFLICT',
    )
  })

  test('documents: list is oldest first per knowledge base, with a cursor', async () => {
    const { scope } = await seedTenant(stores())
    const base = await seedBase(stores(), scope)
    const other = await seedBase(stores(), scope)
    const at = timeline()
    const documents = [1, 2, 3, 4, 5].map((offset) =>
      makeDocument(base, { createdAt: at(offset), updatedAt: at(offset) }),
    )
    for (const document of documents) await stores().documents.create(scope, document, bytes('x'))
    await stores().documents.create(scope, makeDocument(other), bytes('x'))
    const pages = await allPages((page) => stores().documents.list(scope, base.id, page), 2)
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1])
    expect(pages.flat()).toEqual(documents)
  })

  test('documents: findBySha256 finds duplicates within one knowledge base', async () => {
    const { scope } = await seedTenant(stores())
    const base = await seedBase(stores(), scope)
    const other = await seedBase(stores(), scope)
    const sha256 = 'f'.repeat(64)
    const first = await stores().documents.create(scope, makeDocument(base, { sha256 }), bytes('x'))
    await stores().documents.create(scope, makeDocument(base), bytes('y'))
    await stores().documents.create(scope, makeDocument(other, { sha256 }), bytes('x'))
    expect(await stores().documents.findBySha256(scope, base.id, sha256)).toEqual([first])
    expect(await stores().documents.findBySha256(scope, base.id, '0'.repeat(64))).toEqual([])
  })

  test('documents: updateStatus sets the given fields and keeps the rest', async () => {
    const { scope } = await seedTenant(stores())
    const base = await seedBase(stores(), scope)
    const document = await stores().documents.create(scope, makeDocument(base), bytes('x'))
    const at = timeline()
    const indexing = await stores().documents.updateStatus(scope, document.id, {
      status: 'indexing',
      updatedAt: at(1),
    })
    expect(indexing).toEqual({ ...document, status: 'indexing', updatedAt: at(1) })
    const ready = {
      status: 'ready',
      chunkCount: 4,
      tokenCount: 900,
      indexedAt: at(2),
      error: null,
      updatedAt: at(2),
    } as const
    expect(await stores().documents.updateStatus(scope, document.id, ready)).toEqual({
      ...document,
      ...ready,
    })
    const failed = await stores().documents.updateStatus(scope, document.id, {
      status: 'failed',
      error: 'No text',
      updatedAt: at(3),
    })
    expect(failed).toEqual({ ...document, ...ready, status: 'failed', error: 'No text', updatedAt: at(3) })
    expect(await stores().documents.get(scope, document.id)).toEqual(failed)
    expect(await stores().documents.updateStatus(scope, newId<DocumentId>(), ready)).toBeNull()
  })

  test('documents: delete removes the document, its bytes and its chunks once', async () => {
    const { scope } = await seedTenant(stores())
    const base = await seedBase(stores(), scope)
    const document = await stores().documents.create(scope, makeDocument(base), bytes('x'))
    const chunks = [0, 1].map((ordinal) => makeChunk(document, { ordinal }))
    await stores().chunks.replaceForDocument(scope, document.id, chunks)
    expect(await stores().documents.delete(scope, document.id)).toBe(true)
    expect(await stores().documents.get(scope, document.id)).toBeNull()
    expect(await stores().documents.getContent(scope, document.id)).toBeNull()
    expect(await stores().chunks.listForDocument(scope, document.id)).toEqual([])
    expect(
      await stores().chunks.getMany(
        scope,
        chunks.map((chunk) => chunk.id),
      ),
    ).toEqual([])
    expect(await stores().documents.delete(scope, document.id)).toBe(false)
  })

  test('documents: another company can neither see nor change them, nor add to the knowledge base', async () => {
    const owner = await seedTenant(stores())
    const intruder = await seedTenant(stores())
    const base = await seedBase(stores(), owner.scope)
    const document = await stores().documents.create(
      owner.scope,
      makeDocument(base, { sha256: 'e'.repeat(64) }),
      bytes('x'),
    )
    const scope = intruder.scope
    expect(await stores().documents.get(scope, document.id)).toBeNull()
    expect(await stores().documents.getContent(scope, document.id)).toBeNull()
    expect((await stores().documents.list(scope, base.id)).items).toEqual([])
    expect(await stores().documents.findBySha256(scope, base.id, 'e'.repeat(64))).toEqual([])
    expect(
      await stores().documents.updateStatus(scope, document.id, { status: 'failed', updatedAt: new Date() }),
    ).toBeNull()
    expect(await stores().documents.delete(scope, document.id)).toBe(false)
    const planted = makeDocument({ id: base.id, companyId: scope.companyId })
    await expectCoreError(stores().documents.create(scope, planted, bytes('x')), 'NOT_FOUND')
    expect(await stores().documents.get(owner.scope, document.id)).toEqual(document)
    expect(idsOf((await stores().documents.list(owner.scope, base.id)).items)).toEqual([document.id])
  })
}
