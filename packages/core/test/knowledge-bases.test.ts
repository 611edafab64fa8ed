import type { KnowledgeBaseId } from '@agentry/contracts'
import { expectCoreError } from '@agentry/contracts/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createKnowledgeWorld, type KnowledgeWorld } from './knowledge-world.js'

let world: KnowledgeWorld
beforeEach(() => {
  world = createKnowledgeWorld()
})
afterEach(() => world.close())

describe('knowledge bases', () => {
  it('are created with default chunking (800 tokens, 15% overlap) and audited', async () => {
    const { context, companyId } = await world.company()
    const created = await world.knowledge.service.createKnowledgeBase(context, { name: ' Handbook ' })
    expect(created).toMatchObject({
      companyId,
      name: 'Handbook',
      description: '',
      chunking: { maxTokens: 800, overlapTokens: 120 },
    })
    expect(await world.knowledge.service.getKnowledgeBase(context, created.id)).toEqual(created)
    const audit = await world.stores.audit.list({ type: 'tenant', companyId: created.companyId })
    expect(audit.items.map((entry) => [entry.action, entry.resourceId])).toContainEqual([
      'knowledge-base.create',
      created.id,
    ])
  })

  it('take chunking settings and refuse an overlap over half the chunk, naming the field', async () => {
    const { context } = await world.company()
    const custom = await world.knowledge.service.createKnowledgeBase(context, {
      name: 'FAQ',
      chunking: { maxTokens: 400 },
    })
    expect(custom.chunking).toEqual({ maxTokens: 400, overlapTokens: 60 })
    const error = await expectCoreError(
      world.knowledge.service.createKnowledgeBase(context, {
        name: 'Bad',
        chunking: { maxTokens: 200, overlapTokens: 150 },
      }),
      'INVALID_INPUT',
    )
    expect(error.message).toContain('chunking.overlapTokens')
    const updated = await world.knowledge.service.updateKnowledgeBase(context, custom.id, {
      chunking: { maxTokens: 300, overlapTokens: 30 },
    })
    expect(updated.chunking).toEqual({ maxTokens: 300, overlapTokens: 30 })
  })

  it('have unique names within a company, not across companies', async () => {
    const first = await world.company('First')
    const second = await world.company('Second')
    await world.knowledge.service.createKnowledgeBase(first.context, { name: 'Manuals' })
    const error = await expectCoreError(
      world.knowledge.service.createKnowledgeBase(first.context, { name: 'Manuals' }),
      'CONFLICT',
    )
    expect(error.message).toContain('"Manuals" already exists')
    await world.knowledge.service.createKnowledgeBase(second.context, { name: 'Manuals' })
  })

  it('are listed, and deleted with their documents, chunks, vectors and keyword entries', async () => {
    const { context, companyId } = await world.company()
    const kept = await world.knowledge.service.createKnowledgeBase(context, { name: 'Kept' })
    const doomed = await world.knowledge.service.createKnowledgeBase(context, { name: 'Doomed' })
    const added = await world.knowledge.service.addDocument(context, doomed.id, {
      type: 'text',
      text: 'Warranty claims need the receipt.',
    })
    await world.settled(context, added.document.id)
    const listed = await world.knowledge.service.listKnowledgeBases(context)
    expect(listed.items.map((base) => base.name)).toEqual(['Kept', 'Doomed'])

    await world.knowledge.service.deleteKnowledgeBase(context, doomed.id)
    await expectCoreError(world.knowledge.service.getKnowledgeBase(context, doomed.id), 'NOT_FOUND')
    await expectCoreError(world.knowledge.service.getDocument(context, added.document.id), 'NOT_FOUND')
    const filter = { companyId: companyId as never, knowledgeBaseIds: [doomed.id] }
    expect(await world.keywords.search({ filter, text: 'warranty receipt', topK: 5 })).toEqual([])
    expect(await world.vectors.deleteByFilter(filter)).toBe(0)
    expect((await world.knowledge.service.listKnowledgeBases(context)).items).toEqual([kept])
    await expectCoreError(world.knowledge.service.deleteKnowledgeBase(context, doomed.id), 'NOT_FOUND')
  })

  it('need kb:view to read and kb:manage to change', async () => {
    const { context } = await world.company()
    const base = await world.knowledge.service.createKnowledgeBase(context, { name: 'Policies' })
    const viewer = await world.keyWith(context, ['kb:view'])
    const outsider = await world.keyWith(context, ['agents:view'])
    expect((await world.knowledge.service.listKnowledgeBases(viewer)).items).toHaveLength(1)
    await world.knowledge.service.search(viewer, { knowledgeBaseIds: [base.id], query: 'anything' })
    const denied = await expectCoreError(
      world.knowledge.service.createKnowledgeBase(viewer, { name: 'Mine' }),
      'FORBIDDEN',
    )
    expect(denied.message).toContain('kb:manage')
    await expectCoreError(
      world.knowledge.service.addDocument(viewer, base.id, { type: 'text', text: 'x' }),
      'FORBIDDEN',
    )
    await expectCoreError(world.knowledge.service.deleteKnowledgeBase(viewer, base.id), 'FORBIDDEN')
    await expectCoreError(world.knowledge.service.getKnowledgeBase(outsider, base.id), 'FORBIDDEN')
  })

  it('of another company are not found, through every method', async () => {
    const owner = await world.company('Owner')
    const other = await world.company('Other')
    const base = await world.knowledge.service.createKnowledgeBase(owner.context, { name: 'Private' })
    const { document } = await world.knowledge.service.addDocument(owner.context, base.id, {
      type: 'text',
      text: 'The safe code is 4711.',
    })
    await world.settled(owner.context, document.id)
    const service = world.knowledge.service
    const id = base.id as KnowledgeBaseId
    await expectCoreError(service.getKnowledgeBase(other.context, id), 'NOT_FOUND')
    await expectCoreError(service.updateKnowledgeBase(other.context, id, { name: 'Mine' }), 'NOT_FOUND')
    await expectCoreError(service.deleteKnowledgeBase(other.context, id), 'NOT_FOUND')
    await expectCoreError(service.listDocuments(other.context, id), 'NOT_FOUND')
    await expectCoreError(service.addDocument(other.context, id, { type: 'text', text: 'x' }), 'NOT_FOUND')
    await expectCoreError(
      service.search(other.context, { knowledgeBaseIds: [id], query: 'safe code' }),
      'NOT_FOUND',
    )
    await expectCoreError(service.getDocument(other.context, document.id), 'NOT_FOUND')
    await expectCoreError(service.deleteDocument(other.context, document.id), 'NOT_FOUND')
    await expectCoreError(service.reindexDocument(other.context, document.id), 'NOT_FOUND')
    const retrieval = await world.knowledge.retriever.search(
      { type: 'tenant', companyId: other.companyId as never },
      { knowledgeBaseIds: [id], query: 'safe code 4711', topK: 5 },
    )
    expect(retrieval.hits).toEqual([])
    expect((await service.getDocument(owner.context, document.id)).status).toBe('ready')
  })
})
