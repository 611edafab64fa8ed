import { expect } from 'vitest'
import type { AgentId } from '../../ids.js'
import { expectCoreError } from '../expect-core-error.js'
import { makeAgent, makeAgentVersion, makeAuditEntry, makeUsageEvent, newId } from '../fixtures.js'
import {
  allPages,
  commitTurn,
  idsOf,
  type StoreKit,
  seedAgent,
  seedTenant,
  timeline,
} from './store-kit-context.js'

/** `AgentStore`. */
export function describeAgentStore({ stores, test }: StoreKit): void {
  test('agents: create stores the agent with version 1', async () => {
    const { scope } = await seedTenant(stores())
    const agent = makeAgent(scope, { kind: 'task' })
    const version = makeAgentVersion(agent, {
      config: { systemPrompt: 'Be brief.', rules: ['No prices'] },
      author: 'user:1',
      note: 'first',
    })
    expect(await stores().agents.create(scope, agent, version)).toEqual(agent)
    expect(await stores().agents.get(scope, agent.id)).toEqual(agent)
    expect(await stores().agents.getVersion(scope, agent.id, 1)).toEqual(version)
    expect(await stores().agents.get(scope, newId<AgentId>())).toBeNull()
    expect(await stores().agents.getVersion(scope, agent.id, 2)).toBeNull()
  })

  test('agents: an existing id is CONFLICT', async () => {
    const { scope } = await seedTenant(stores())
    const { agent, version } = await seedAgent(stores(), scope)
    await expectCoreError(stores().agents.create(scope, { ...agent, name: 'Copy' }, version), 'CONFLICT')
    expect(await stores().agents.get(scope, agent.id)).toEqual(agent)
  })

  test('agents: list is newest first and pages with a cursor', async () => {
    const { scope } = await seedTenant(stores())
    const at = timeline()
    const agents = []
    for (const offset of [1, 2, 3, 4, 5]) {
      agents.push((await seedAgent(stores(), scope, { createdAt: at(offset), updatedAt: at(offset) })).agent)
    }
    const pages = await allPages((page) => stores().agents.list(scope, page), 2)
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1])
    expect(pages.flat()).toEqual([...agents].reverse())
  })

  test('agents: update patches name and status', async () => {
    const { scope } = await seedTenant(stores())
    const { agent } = await seedAgent(stores(), scope)
    const updatedAt = new Date(agent.updatedAt.getTime() + 1000)
    const updated = await stores().agents.update(scope, agent.id, {
      status: 'disabled',
      name: 'Renamed',
      updatedAt,
    })
    expect(updated).toEqual({ ...agent, status: 'disabled', name: 'Renamed', updatedAt })
    expect(await stores().agents.get(scope, agent.id)).toEqual(updated)
    expect(await stores().agents.update(scope, newId<AgentId>(), { name: 'x', updatedAt })).toBeNull()
  })

  test('agents: addVersion appends the next version and makes it current', async () => {
    const { scope } = await seedTenant(stores())
    const { agent } = await seedAgent(stores(), scope)
    const second = makeAgentVersion(agent, { version: 2, config: { systemPrompt: 'v2' } })
    const updated = await stores().agents.addVersion(scope, second)
    expect(updated).toMatchObject({ id: agent.id, currentVersion: 2, latestVersion: 2 })
    expect(await stores().agents.get(scope, agent.id)).toEqual(updated)
    expect(await stores().agents.getVersion(scope, agent.id, 2)).toEqual(second)
  })

  test('agents: addVersion with a stale or skipped number is CONFLICT; a missing agent is null', async () => {
    const { scope } = await seedTenant(stores())
    const { agent } = await seedAgent(stores(), scope)
    await stores().agents.addVersion(scope, makeAgentVersion(agent, { version: 2 }))
    await expectCoreError(
      stores().agents.addVersion(scope, makeAgentVersion(agent, { version: 2, note: 'late' })),
      'CONFLICT',
    )
    await expectCoreError(
      stores().agents.addVersion(scope, makeAgentVersion(agent, { version: 4 })),
      'CONFLICT',
    )
    expect((await stores().agents.getVersion(scope, agent.id, 2))?.note).toBeNull()
    expect(
      await stores().agents.addVersion(scope, makeAgentVersion({ ...agent, id: newId() }, { version: 2 })),
    ).toBeNull()
  })

  test('agents: of two concurrent edits from the same version, exactly one wins', async () => {
    const { scope } = await seedTenant(stores())
    const { agent } = await seedAgent(stores(), scope)
    const results = await Promise.allSettled([
      stores().agents.addVersion(scope, makeAgentVersion(agent, { version: 2, note: 'a' })),
      stores().agents.addVersion(scope, makeAgentVersion(agent, { version: 2, note: 'b' })),
    ])
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1)
    const rejected = results.find((result) => result.status === 'rejected')
    await expectCoreError(Promise.reject(rejected?.reason), 'CONFLICT')
    expect(await stores().agents.get(scope, agent.id)).toMatchObject({ latestVersion: 2, currentVersion: 2 })
  })

  test('agents: setCurrentVersion rolls back to an existing version only', async () => {
    const { scope } = await seedTenant(stores())
    const { agent } = await seedAgent(stores(), scope)
    await stores().agents.addVersion(scope, makeAgentVersion(agent, { version: 2 }))
    const updatedAt = new Date(agent.updatedAt.getTime() + 5000)
    const rolledBack = await stores().agents.setCurrentVersion(scope, agent.id, 1, updatedAt)
    expect(rolledBack).toMatchObject({ currentVersion: 1, latestVersion: 2, updatedAt })
    expect(await stores().agents.get(scope, agent.id)).toEqual(rolledBack)
    expect(await stores().agents.setCurrentVersion(scope, agent.id, 7, updatedAt)).toBeNull()
    expect(await stores().agents.setCurrentVersion(scope, newId<AgentId>(), 1, updatedAt)).toBeNull()
    expect((await stores().agents.get(scope, agent.id))?.currentVersion).toBe(1)
  })

  test('agents: listVersions is newest first and pages with a cursor', async () => {
    const { scope } = await seedTenant(stores())
    const { agent } = await seedAgent(stores(), scope)
    for (const version of [2, 3, 4])
      await stores().agents.addVersion(scope, makeAgentVersion(agent, { version }))
    const pages = await allPages((page) => stores().agents.listVersions(scope, agent.id, page), 3)
    expect(pages.map((page) => page.map((version) => version.version))).toEqual([[4, 3, 2], [1]])
    const halves = await allPages((page) => stores().agents.listVersions(scope, agent.id, page), 2)
    expect(halves.map((page) => page.map((version) => version.version))).toEqual([
      [4, 3],
      [2, 1],
    ])
    expect((await stores().agents.listVersions(scope, newId<AgentId>())).items).toEqual([])
  })

  test('agents: delete removes versions, sessions, turns and messages but keeps usage and audit', async () => {
    const { scope } = await seedTenant(stores())
    const { agent } = await seedAgent(stores(), scope)
    const usage = makeUsageEvent({ companyId: scope.companyId, agentId: agent.id })
    const { session, turn } = await commitTurn(stores(), scope, agent, { usage: [usage] })
    const entry = makeAuditEntry(scope, { resourceId: agent.id })
    await stores().audit.append(scope, entry)
    expect(await stores().agents.delete(scope, agent.id)).toBe(true)
    expect(await stores().agents.get(scope, agent.id)).toBeNull()
    expect(await stores().agents.getVersion(scope, agent.id, 1)).toBeNull()
    expect(await stores().sessions.get(scope, session.id)).toBeNull()
    expect(await stores().turns.get(scope, turn.id)).toBeNull()
    expect((await stores().sessions.listMessages(scope, session.id)).items).toEqual([])
    expect(idsOf((await stores().usage.list(scope)).items)).toEqual([usage.id])
    expect(idsOf((await stores().audit.list(scope)).items)).toEqual([entry.id])
    expect(await stores().agents.delete(scope, agent.id)).toBe(false)
  })

  test('agents: another company can neither see nor change them', async () => {
    const owner = await seedTenant(stores())
    const intruder = await seedTenant(stores())
    const { agent, version } = await seedAgent(stores(), owner.scope)
    const at = new Date()
    const scope = intruder.scope
    expect(await stores().agents.get(scope, agent.id)).toBeNull()
    expect((await stores().agents.list(scope)).items).toEqual([])
    expect(await stores().agents.getVersion(scope, agent.id, 1)).toBeNull()
    expect((await stores().agents.listVersions(scope, agent.id)).items).toEqual([])
    expect(await stores().agents.update(scope, agent.id, { name: 'Mallory', updatedAt: at })).toBeNull()
    expect(
      await stores().agents.addVersion(scope, {
        ...makeAgentVersion(agent, { version: 2 }),
        companyId: scope.companyId,
      }),
    ).toBeNull()
    expect(await stores().agents.setCurrentVersion(scope, agent.id, 1, at)).toBeNull()
    expect(await stores().agents.delete(scope, agent.id)).toBe(false)
    expect(await stores().agents.get(owner.scope, agent.id)).toEqual(agent)
    expect(await stores().agents.getVersion(owner.scope, agent.id, 1)).toEqual(version)
    expect(await stores().agents.getVersion(owner.scope, agent.id, 2)).toBeNull()
  })

  test('agents: a row carrying another company’s id is never written into that company', async () => {
    const owner = await seedTenant(stores())
    const intruder = await seedTenant(stores())
    const agent = makeAgent(owner.scope)
    await stores()
      .agents.create(intruder.scope, agent, makeAgentVersion(agent))
      .catch(() => undefined)
    expect(await stores().agents.get(owner.scope, agent.id)).toBeNull()
    expect((await stores().agents.list(owner.scope)).items).toEqual([])
  })
}
