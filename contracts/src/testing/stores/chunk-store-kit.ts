import { expect } from 'vitest'
import type { ChunkId, DocumentId } from '../../ids.js'
import type { Stores } from '../../ports/stores/stores.js'
import type { TenantScope } from '../../scope.js'
import { expectCoreError } from '../expect-core-error.js'
import { makeChunk, makeDocument, makeKnowledgeBase, newId } from '../fixtures.js'
import { idsOf, type StoreKit, seedTenant } from './store-kit-context.js'

async function seedDocument(stores: Stores, scope: TenantScope) {
  const base = await stores.knowledgeBases.create(scope, makeKnowledgeBase(scope))
  return stores.documents.create(scope, makeDocument(base), new TextEncoder().encode('text'))
}

const byId = <T extends { readonly id: string }>(rows: readonly T[]) =>
  [...rows].sort((left, right) => (left.id < right.id ? -1 : 1))

/** `ChunkStore`. */
export function describeChunkStore({ stores, test }: StoreKit): void {
  test('chunks: replaceForDocument stores them and listForDocument returns them in ordinal order', async () => {
    const { scope } = await seedTenant(stores())
    const document = await seedDocument(stores(), scope)
    const chunks = [2, 0, 1].map((ordinal) =>
      makeChunk(document, {
        ordinal,
        text: `Part ${ordinal}`,
        headingPath: ['Policies', `Section ${ordinal}`],
        page: ordinal + 1,
        startOffset: ordinal * 100,
        endOffset: ordinal * 100 + 6,
      }),
    )
    await stores().chunks.replaceForDocument(scope, document.id, chunks)
    const listed = await stores().chunks.listForDocument(scope, document.id)
    expect(listed).toEqual([...chunks].sort((left, right) => left.ordinal - right.ordinal))
    expect(await stores().chunks.listForDocument(scope, newId<DocumentId>())).toEqual([])
  })

  test('chunks: a second replace leaves exactly the new chunks, also when ids are reused', async () => {
    const { scope } = await seedTenant(stores())
    const document = await seedDocument(stores(), scope)
    const first = [0, 1, 2].map((ordinal) => makeChunk(document, { ordinal }))
    await stores().chunks.replaceForDocument(scope, document.id, first)
    const second = [
      makeChunk(document, { id: first[0]!.id, ordinal: 0, text: 'Rewritten' }),
      makeChunk(document, { ordinal: 1 }),
    ]
    await stores().chunks.replaceForDocument(scope, document.id, second)
    expect(await stores().chunks.listForDocument(scope, document.id)).toEqual(second)
    expect(byId(await stores().chunks.getMany(scope, [...idsOf(first), ...idsOf(second)]))).toEqual(
      byId(second),
    )
    await stores().chunks.replaceForDocument(scope, document.id, [])
    expect(await stores().chunks.listForDocument(scope, document.id)).toEqual([])
  })

  test('chunks: replace for a missing document is NOT_FOUND', async () => {
    const { scope } = await seedTenant(stores())
    const document = await seedDocument(stores(), scope)
    const ghost = { ...document, id: newId<DocumentId>() }
    await expectCoreError(
      stores().chunks.replaceForDocument(scope, ghost.id, [makeChunk(ghost)]),
      'NOT_FOUND',
    )
  })

  test('chunks: getMany returns the chunks among the ids that the company has', async () => {
    const { scope } = await seedTenant(stores())
    const document = await seedDocument(stores(), scope)
    const other = await seedDocument(stores(), scope)
    const chunks = [
      makeChunk(document, { ordinal: 0 }),
      makeChunk(document, { ordinal: 1 }),
      makeChunk(other),
    ]
    await stores().chunks.replaceForDocument(scope, document.id, chunks.slice(0, 2))
    await stores().chunks.replaceForDocument(scope, other.id, chunks.slice(2))
    const wanted = [chunks[2]!.id, chunks[0]!.id, newId<ChunkId>()]
    expect(byId(await stores().chunks.getMany(scope, wanted))).toEqual(byId([chunks[0]!, chunks[2]!]))
    expect(await stores().chunks.getMany(scope, [])).toEqual([])
  })

  test('chunks: another company can neither read nor replace them', async () => {
    const owner = await seedTenant(stores())
    const intruder = await seedTenant(stores())
    const document = await seedDocument(stores(), owner.scope)
    const chunks = [makeChunk(document)]
    await stores().chunks.replaceForDocument(owner.scope, document.id, chunks)
    expect(await stores().chunks.getMany(intruder.scope, idsOf(chunks))).toEqual([])
    expect(await stores().chunks.listForDocument(intruder.scope, document.id)).toEqual([])
    const planted = makeChunk({ ...document, companyId: intruder.scope.companyId }, { text: 'planted' })
    await expectCoreError(
      stores().chunks.replaceForDocument(intruder.scope, document.id, [planted]),
      'NOT_FOUND',
    )
    await expectCoreError(stores().chunks.replaceForDocument(intruder.scope, document.id, []), 'NOT_FOUND')
    expect(await stores().chunks.listForDocument(owner.scope, document.id)).toEqual(chunks)
  })
}
