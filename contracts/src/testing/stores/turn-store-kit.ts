import { expect } from 'vitest'
import type { AgentId, SessionId, TurnId } from '../../ids.js'
import { expectCoreError } from '../expect-core-error.js'
import {
  emptyUsageSummary,
  makeAgentVersion,
  makeMessage,
  makeSession,
  makeTurn,
  makeUsageEvent,
  newId,
} from '../fixtures.js'
import { commitTurn, idsOf, type StoreKit, seedAgent, seedTenant, timeline } from './store-kit-context.js'

/** `TurnStore`: the read before a turn and the atomic write after it. */
export function describeTurnStore({ stores, test }: StoreKit): void {
  test('turns: load returns the agent, its current version and no session for a new conversation', async () => {
    const { scope } = await seedTenant(stores())
    const { agent, version } = await seedAgent(stores(), scope)
    expect(await stores().turns.load(scope, { agentId: agent.id, historyLimit: 10 })).toEqual({
      agent,
      version,
      session: null,
      history: [],
      existingTurn: null,
      quotas: [],
    })
    const missing = await stores().turns.load(scope, {
      agentId: newId<AgentId>(),
      sessionId: newId<SessionId>(),
    })
    expect(missing).toEqual({
      agent: null,
      version: null,
      session: null,
      history: [],
      existingTurn: null,
      quotas: [],
    })
  })

  test('turns: load follows the current version after a rollback', async () => {
    const { scope } = await seedTenant(stores())
    const { agent, version } = await seedAgent(stores(), scope)
    await stores().agents.addVersion(scope, makeAgentVersion(agent, { version: 2 }))
    expect((await stores().turns.load(scope, { agentId: agent.id }))?.version?.version).toBe(2)
    await stores().agents.setCurrentVersion(scope, agent.id, 1, new Date())
    expect((await stores().turns.load(scope, { agentId: agent.id }))?.version).toEqual(version)
  })

  test('turns: commit writes a new session, the turn and its messages', async () => {
    const { scope } = await seedTenant(stores())
    const { agent } = await seedAgent(stores(), scope)
    const { session, turn, messages } = await commitTurn(stores(), scope, agent, { count: 3 })
    expect(await stores().sessions.get(scope, session.id)).toEqual(session)
    expect(session.messageCount).toBe(3)
    expect(await stores().turns.get(scope, turn.id)).toEqual(turn)
    expect((await stores().sessions.listMessages(scope, session.id)).items).toEqual(messages)
    expect(await stores().turns.get(scope, newId<TurnId>())).toBeNull()
  })

  test('turns: load returns the newest historyLimit messages, oldest first', async () => {
    const { scope } = await seedTenant(stores())
    const { agent } = await seedAgent(stores(), scope)
    const at = timeline()
    const first = await commitTurn(stores(), scope, agent, { count: 3, at: at(1) })
    const second = await commitTurn(stores(), scope, agent, { session: first.session, count: 3, at: at(2) })
    const all = [...first.messages, ...second.messages]
    const context = await stores().turns.load(scope, {
      agentId: agent.id,
      sessionId: first.session.id,
      historyLimit: 4,
    })
    expect(context.session).toEqual(second.session)
    expect(context.history).toEqual(all.slice(-4))
    const none = await stores().turns.load(scope, {
      agentId: agent.id,
      sessionId: first.session.id,
      historyLimit: 0,
    })
    expect(none.history).toEqual([])
  })

  test('turns: without historyLimit, load applies the version’s memory.maxMessages', async () => {
    const { scope } = await seedTenant(stores())
    const { agent } = await seedAgent(stores(), scope)
    await stores().agents.addVersion(
      scope,
      makeAgentVersion(agent, { version: 2, config: { memory: { maxMessages: 2 } } }),
    )
    const { session, messages } = await commitTurn(stores(), scope, agent, { count: 5 })
    const context = await stores().turns.load(scope, { agentId: agent.id, sessionId: session.id })
    expect(context.history).toEqual(messages.slice(-2))
  })

  test('turns: a session of another agent is not loaded', async () => {
    const { scope } = await seedTenant(stores())
    const { agent } = await seedAgent(stores(), scope)
    const { agent: other } = await seedAgent(stores(), scope)
    const { session } = await commitTurn(stores(), scope, agent)
    const context = await stores().turns.load(scope, {
      agentId: other.id,
      sessionId: session.id,
      historyLimit: 10,
    })
    expect(context.session).toBeNull()
    expect(context.history).toEqual([])
  })

  test('turns: commit on an existing session updates only updatedAt, messageCount and summary', async () => {
    const { scope } = await seedTenant(stores())
    const { agent } = await seedAgent(stores(), scope)
    const at = timeline()
    const first = await commitTurn(stores(), scope, agent, { at: at(1) })
    const changed = {
      ...first.session,
      channel: 'slack',
      metadata: { changed: true },
      summary: 'They asked about refunds.',
    }
    const second = await commitTurn(stores(), scope, agent, { session: changed, at: at(2) })
    expect(await stores().sessions.get(scope, first.session.id)).toEqual({
      ...first.session,
      updatedAt: at(2),
      messageCount: 4,
      summary: 'They asked about refunds.',
    })
    expect(second.session.messageCount).toBe(4)
  })

  test('turns: load finds the completed turn that used an idempotency key', async () => {
    const { scope } = await seedTenant(stores())
    const { agent } = await seedAgent(stores(), scope)
    const key = `key-${newId()}`
    const result = {
      turnId: newId<TurnId>(),
      sessionId: newId<SessionId>(),
      agentId: agent.id,
      agentVersion: 1,
      outcome: { type: 'replied' as const },
      message: { role: 'assistant' as const, content: 'Done.' },
      output: null,
      citations: [],
      toolCalls: [],
      usage: { ...emptyUsageSummary(), inputTokens: 12, modelCalls: 1 },
      warnings: [],
    }
    const { turn } = await commitTurn(stores(), scope, agent, { turn: { idempotencyKey: key, result } })
    expect(
      (await stores().turns.load(scope, { agentId: agent.id, idempotencyKey: key })).existingTurn,
    ).toEqual(turn)
    expect(
      (await stores().turns.load(scope, { agentId: agent.id, idempotencyKey: `${key}-other` })).existingTurn,
    ).toBeNull()
  })

  test('turns: a used idempotency key is CONFLICT and nothing of that commit is written', async () => {
    const { scope } = await seedTenant(stores())
    const other = await seedTenant(stores())
    const { agent } = await seedAgent(stores(), scope)
    const key = `key-${newId()}`
    const first = await commitTurn(stores(), scope, agent, { turn: { idempotencyKey: key } })
    const turn = makeTurn(first.session, { idempotencyKey: key })
    const messages = [makeMessage(turn, { content: 'retry' })]
    const usage = makeUsageEvent({ companyId: scope.companyId })
    const session = {
      ...first.session,
      messageCount: 3,
      updatedAt: new Date(first.session.updatedAt.getTime() + 1000),
    }
    await expectCoreError(
      stores().turns.commit(scope, { session, isNewSession: false, turn, messages, usageEvents: [usage] }),
      'CONFLICT',
    )
    expect(await stores().turns.get(scope, turn.id)).toBeNull()
    expect(await stores().sessions.get(scope, first.session.id)).toEqual(first.session)
    expect((await stores().sessions.listMessages(scope, first.session.id)).items).toEqual(first.messages)
    expect((await stores().usage.list(scope)).items).toEqual([])
    const { agent: otherAgent } = await seedAgent(stores(), other.scope)
    await commitTurn(stores(), other.scope, otherAgent, { turn: { idempotencyKey: key } })
  })

  test('turns: usage events are appended exactly once across commits', async () => {
    const { scope } = await seedTenant(stores())
    const { agent } = await seedAgent(stores(), scope)
    const [a, b, c] = [1, 2, 3].map(() => makeUsageEvent({ companyId: scope.companyId, agentId: agent.id }))
    const first = await commitTurn(stores(), scope, agent, { usage: [a!, b!] })
    await commitTurn(stores(), scope, agent, { session: first.session, usage: [b!, c!] })
    const stored = (await stores().usage.list(scope)).items
    expect(idsOf(stored)).toEqual(idsOf([a!, b!, c!]))
    expect(stored.every((event) => event.billingPeriod === event.occurredAt.toISOString().slice(0, 7))).toBe(
      true,
    )
  })

  test('turns: commit for a missing agent or a missing existing session is NOT_FOUND', async () => {
    const { scope } = await seedTenant(stores())
    const { agent } = await seedAgent(stores(), scope)
    const ghost = makeSession({ id: newId<AgentId>(), companyId: scope.companyId })
    const ghostTurn = makeTurn(ghost)
    await expectCoreError(
      stores().turns.commit(scope, {
        session: ghost,
        isNewSession: true,
        turn: ghostTurn,
        messages: [],
        usageEvents: [],
      }),
      'NOT_FOUND',
    )
    const gone = makeSession(agent)
    const turn = makeTurn(gone)
    await expectCoreError(
      stores().turns.commit(scope, {
        session: gone,
        isNewSession: false,
        turn,
        messages: [makeMessage(turn)],
        usageEvents: [],
      }),
      'NOT_FOUND',
    )
    expect(await stores().turns.get(scope, turn.id)).toBeNull()
    expect(await stores().sessions.get(scope, gone.id)).toBeNull()
  })

  test('turns: another company can neither load nor extend them', async () => {
    const owner = await seedTenant(stores())
    const intruder = await seedTenant(stores())
    const { agent } = await seedAgent(stores(), owner.scope)
    const key = `key-${newId()}`
    const first = await commitTurn(stores(), owner.scope, agent, { turn: { idempotencyKey: key } })
    const context = await stores().turns.load(intruder.scope, {
      agentId: agent.id,
      sessionId: first.session.id,
      idempotencyKey: key,
      historyLimit: 10,
    })
    expect(context).toEqual({
      agent: null,
      version: null,
      session: null,
      history: [],
      existingTurn: null,
      quotas: [],
    })
    expect(await stores().turns.get(intruder.scope, first.turn.id)).toBeNull()
    const { agent: theirs } = await seedAgent(stores(), intruder.scope)
    const hijacked = {
      ...first.session,
      companyId: intruder.scope.companyId,
      agentId: theirs.id,
      messageCount: 99,
    }
    const turn = makeTurn(hijacked)
    await expectCoreError(
      stores().turns.commit(intruder.scope, {
        session: hijacked,
        isNewSession: false,
        turn,
        messages: [makeMessage(turn)],
        usageEvents: [],
      }),
      'NOT_FOUND',
    )
    expect(await stores().sessions.get(owner.scope, first.session.id)).toEqual(first.session)
    expect((await stores().sessions.listMessages(owner.scope, first.session.id)).items).toEqual(
      first.messages,
    )
  })
}
