import { type Agent, systemScope, tenantScope } from '@agentry/contracts'
import {
  expectCoreError,
  makeAgent,
  makeAgentVersion,
  makeCompany,
  makeDocument,
  makeKnowledgeBase,
} from '@agentry/contracts/testing'
import { describe, expect, it } from 'vitest'
import { createMemoryStores } from './memory-stores.js'

const system = systemScope('test')
type Mutable<T> = { -readonly [K in keyof T]: T[K] }

async function tenant() {
  const stores = createMemoryStores()
  const company = await stores.companies.create(system, makeCompany())
  return { stores, scope: tenantScope(company.id) }
}

describe('createMemoryStores', () => {
  it('copies rows on the way in: changing what was passed changes nothing stored', async () => {
    const { stores, scope } = await tenant()
    const agent: Mutable<Agent> = makeAgent(scope)
    await stores.agents.create(scope, agent, makeAgentVersion(agent))
    agent.name = 'changed'
    agent.createdAt.setTime(0)
    const stored = await stores.agents.get(scope, agent.id)
    expect(stored?.name).toBe('Support agent')
    expect(stored?.createdAt.getTime()).not.toBe(0)
  })

  it('copies rows on the way out: changing what was returned changes nothing stored', async () => {
    const { stores, scope } = await tenant()
    const base = await stores.knowledgeBases.create(scope, makeKnowledgeBase(scope))
    const content = new TextEncoder().encode('original')
    const document = await stores.documents.create(scope, makeDocument(base), content)
    content.fill(0)
    const read = await stores.documents.getContent(scope, document.id)
    expect(new TextDecoder().decode(read ?? new Uint8Array())).toBe('original')
    read?.fill(0)
    const listed = (await stores.documents.list(scope, base.id)).items[0] as { title: string }
    listed.title = 'changed'
    expect(
      new TextDecoder().decode((await stores.documents.getContent(scope, document.id)) ?? new Uint8Array()),
    ).toBe('original')
    expect((await stores.documents.get(scope, document.id))?.title).toBe(document.title)
  })

  it('refuses a row whose companyId is not the scope’s company', async () => {
    const { stores, scope } = await tenant()
    const other = await stores.companies.create(system, makeCompany())
    const agent = makeAgent({ companyId: other.id })
    const error = await expectCoreError(
      stores.agents.create(scope, agent, makeAgentVersion(agent)),
      'INVALID_INPUT',
    )
    expect(error.message).toContain(other.id)
  })

  it('answers ping and closes idempotently', async () => {
    const stores = createMemoryStores()
    expect(await stores.ping()).toBe(true)
    await stores.close()
    await stores.close()
  })

  it('page limits must be whole numbers of at least 1', async () => {
    const { stores, scope } = await tenant()
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      await expectCoreError(stores.agents.list(scope, { limit }), 'INVALID_INPUT')
    }
  })
})
