import { expect } from 'vitest'
import type { SessionId } from '../../ids.js'
import { newId } from '../fixtures.js'
import {
  allPages,
  commitTurn,
  idsOf,
  type StoreKit,
  seedAgent,
  seedTenant,
  timeline,
} from './store-kit-context.js'

/** `SessionStore`: reading conversations that `TurnStore.commit` wrote. */
export function describeSessionStore({ stores, test }: StoreKit): void {
  test('sessions: list is most recently updated first and pages with a cursor', async () => {
    const { scope } = await seedTenant(stores())
    const { agent } = await seedAgent(stores(), scope)
    const at = timeline()
    const sessions = []
    for (const offset of [1, 2, 3, 4, 5])
      sessions.push((await commitTurn(stores(), scope, agent, { at: at(offset) })).session)
    const oldest = sessions[0]!
    const revived = (await commitTurn(stores(), scope, agent, { session: oldest, at: at(10) })).session
    const pages = await allPages((page) => stores().sessions.list(scope, {}, page), 2)
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1])
    expect(pages.flat()).toEqual([revived, ...sessions.slice(1).reverse()])
  })

  test('sessions: list filters by agent and by external user', async () => {
    const { scope } = await seedTenant(stores())
    const { agent } = await seedAgent(stores(), scope)
    const { agent: other } = await seedAgent(stores(), scope)
    const mine = await commitTurn(stores(), scope, agent)
    const theirs = await commitTurn(stores(), scope, other)
    const { session: external } = await commitTurn(stores(), scope, agent, {
      newSession: { externalUserId: `slack:${newId()}`, channel: 'slack' },
    })
    expect(idsOf((await stores().sessions.list(scope, { agentId: other.id })).items)).toEqual([
      theirs.session.id,
    ])
    expect(
      idsOf((await stores().sessions.list(scope, { externalUserId: external.externalUserId ?? '' })).items),
    ).toEqual([external.id])
    const forAgent = idsOf((await stores().sessions.list(scope, { agentId: agent.id })).items)
    expect(forAgent).toContain(mine.session.id)
    expect(forAgent).not.toContain(theirs.session.id)
  })

  test('sessions: listMessages pages oldest first by default, or newest first', async () => {
    const { scope } = await seedTenant(stores())
    const { agent } = await seedAgent(stores(), scope)
    const at = timeline()
    const first = await commitTurn(stores(), scope, agent, { count: 3, at: at(1) })
    const second = await commitTurn(stores(), scope, agent, { session: first.session, count: 2, at: at(2) })
    const all = [...first.messages, ...second.messages]
    const ascending = await allPages(
      (page) => stores().sessions.listMessages(scope, first.session.id, page),
      2,
    )
    expect(ascending.map((page) => page.length)).toEqual([2, 2, 1])
    expect(ascending.flat()).toEqual(all)
    const descending = await allPages(
      (page) => stores().sessions.listMessages(scope, first.session.id, { ...page, order: 'desc' }),
      2,
    )
    expect(descending.flat()).toEqual([...all].reverse())
    expect(await stores().sessions.listMessages(scope, newId<SessionId>())).toEqual({
      items: [],
      nextCursor: null,
    })
  })

  test('sessions: delete removes the session and its messages once', async () => {
    const { scope } = await seedTenant(stores())
    const { agent } = await seedAgent(stores(), scope)
    const { session } = await commitTurn(stores(), scope, agent)
    const kept = await commitTurn(stores(), scope, agent)
    expect(await stores().sessions.delete(scope, session.id)).toBe(true)
    expect(await stores().sessions.get(scope, session.id)).toBeNull()
    expect((await stores().sessions.listMessages(scope, session.id)).items).toEqual([])
    expect(await stores().sessions.delete(scope, session.id)).toBe(false)
    expect(await stores().sessions.get(scope, kept.session.id)).toEqual(kept.session)
  })

  test('sessions: another company can neither see nor delete them', async () => {
    const owner = await seedTenant(stores())
    const intruder = await seedTenant(stores())
    const { agent } = await seedAgent(stores(), owner.scope)
    const { session, messages } = await commitTurn(stores(), owner.scope, agent)
    expect(await stores().sessions.get(intruder.scope, session.id)).toBeNull()
    expect((await stores().sessions.list(intruder.scope)).items).toEqual([])
    expect((await stores().sessions.list(intruder.scope, { agentId: agent.id })).items).toEqual([])
    expect((await stores().sessions.listMessages(intruder.scope, session.id)).items).toEqual([])
    expect(await stores().sessions.delete(intruder.scope, session.id)).toBe(false)
    expect(await stores().sessions.get(owner.scope, session.id)).toEqual(session)
    expect((await stores().sessions.listMessages(owner.scope, session.id)).items).toEqual(messages)
  })
}
