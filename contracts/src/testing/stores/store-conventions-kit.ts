import { expect } from 'vitest'
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '../../common.js'
import type {
  AgentId,
  ApiKeyId,
  DocumentId,
  InvoiceId,
  KnowledgeBaseId,
  QuotaId,
  SecretId,
  SessionId,
  ToolId,
  TurnId,
  UserId,
} from '../../ids.js'
import { type TenantScope, tenantScope } from '../../scope.js'
import { expectCoreError } from '../expect-core-error.js'
import {
  makeAgent,
  makeAgentVersion,
  makeApiKey,
  makeAuditEntry,
  makeCompany,
  makeInvoice,
  makeKnowledgeBase,
  makePriceBook,
  makeQuota,
  makeSecret,
  makeTool,
  makeToolCall,
  makeUsageEvent,
  makeUser,
  newId,
} from '../fixtures.js'
import { type StoreKit, SYSTEM, seedTenant } from './store-kit-context.js'

const BAD_CURSORS = ['not a cursor', '!!!', btoa('{"a":1}'), btoa('[1,2,3,4,5]')]

/** What every store shares: page limits, cursors, cancellation, missing tenants, readiness. */
export function describeStoreConventions({ stores, test }: StoreKit): void {
  test('conventions: pages default to 50 items and are capped at 200', async () => {
    const { scope } = await seedTenant(stores())
    const events = Array.from({ length: MAX_PAGE_LIMIT + 5 }, () => makeUsageEvent(scope))
    await stores().usage.append(scope, events)
    const first = await stores().usage.list(scope)
    expect(first.items).toHaveLength(DEFAULT_PAGE_LIMIT)
    expect(first.nextCursor).not.toBeNull()
    const capped = await stores().usage.list(scope, {}, { limit: 1000 })
    expect(capped.items).toHaveLength(MAX_PAGE_LIMIT)
    const rest = await stores().usage.list(scope, {}, { limit: 1000, cursor: capped.nextCursor })
    expect(rest.items).toHaveLength(5)
    expect(rest.nextCursor).toBeNull()
  })

  test('conventions: a cursor that no list returned is INVALID_INPUT', async () => {
    const { scope } = await seedTenant(stores())
    await stores().users.create(scope, makeUser(scope))
    await stores().agents.create(scope, ...agentWithVersion(scope))
    await stores().usage.append(scope, [makeUsageEvent(scope)])
    for (const cursor of BAD_CURSORS) {
      await expectCoreError(stores().users.list(scope, { cursor }), 'INVALID_INPUT')
      await expectCoreError(stores().agents.list(scope, { cursor }), 'INVALID_INPUT')
      await expectCoreError(stores().usage.list(scope, {}, { cursor }), 'INVALID_INPUT')
      await expectCoreError(stores().companies.list(SYSTEM, { cursor }), 'INVALID_INPUT')
    }
  })

  test('conventions: tenant rows for a company that does not exist are NOT_FOUND', async () => {
    const scope = tenantScope(newId())
    await expectCoreError(stores().agents.create(scope, ...agentWithVersion(scope)), 'NOT_FOUND')
    await expectCoreError(stores().knowledgeBases.create(scope, makeKnowledgeBase(scope)), 'NOT_FOUND')
    await expectCoreError(stores().users.create(scope, makeUser(scope)), 'NOT_FOUND')
  })

  test('conventions: an already-aborted signal fails reads and writes with CANCELLED and writes nothing', async () => {
    const { scope } = await seedTenant(stores())
    const options = { signal: AbortSignal.abort() }
    const s = stores()
    const calls: (() => Promise<unknown>)[] = [
      () => s.companies.create(SYSTEM, makeCompany(), options),
      () => s.companies.get(scope, options),
      () => s.users.create(scope, makeUser(scope), options),
      () => s.users.get(scope, newId<UserId>(), options),
      () => s.apiKeys.create(scope, makeApiKey(scope), options),
      () => s.apiKeys.get(scope, newId<ApiKeyId>(), options),
      () => s.agents.create(scope, ...agentWithVersion(scope), options),
      () => s.agents.get(scope, newId<AgentId>(), options),
      () => s.sessions.get(scope, newId<SessionId>(), options),
      () => s.sessions.listMessages(scope, newId<SessionId>(), {}, options),
      () => s.turns.load(scope, { agentId: newId<AgentId>() }, options),
      () => s.turns.get(scope, newId<TurnId>(), options),
      () => s.knowledgeBases.create(scope, makeKnowledgeBase(scope), options),
      () => s.knowledgeBases.get(scope, newId<KnowledgeBaseId>(), options),
      () => s.documents.get(scope, newId<DocumentId>(), options),
      () => s.chunks.listForDocument(scope, newId<DocumentId>(), options),
      () => s.tools.create(scope, makeTool(scope), options),
      () => s.tools.get(scope, newId<ToolId>(), options),
      () => s.toolCalls.append(scope, makeToolCall(scope), options),
      () => s.toolCalls.list(scope, {}, {}, options),
      () => s.secrets.put(scope, makeSecret(scope), options),
      () =>
        s.secrets.replaceValue(
          SYSTEM,
          newId<SecretId>(),
          { keyId: 'k', ciphertext: 'x' },
          { keyId: 'k', ciphertext: 'y' },
          new Date(),
          options,
        ),
      () => s.usage.append(scope, [makeUsageEvent(scope)], options),
      () => s.usage.summarize(scope, {}, ['kind'], options),
      () => s.priceBooks.create(SYSTEM, makePriceBook(), options),
      () => s.invoices.saveDraft(scope, makeInvoice(scope), options),
      () => s.invoices.get(scope, newId<InvoiceId>(), options),
      () => s.quotas.put(scope, makeQuota(scope), options),
      () => s.quotas.delete(scope, newId<QuotaId>(), options),
      () => s.audit.append(scope, makeAuditEntry(scope), options),
      () => s.audit.list(scope, {}, {}, options),
    ]
    for (const call of calls) await expectCoreError(call, 'CANCELLED')
    expect((await s.users.list(scope)).items).toEqual([])
    expect((await s.agents.list(scope)).items).toEqual([])
    expect((await s.usage.list(scope)).items).toEqual([])
    expect((await s.audit.list(scope)).items).toEqual([])
    expect(await s.quotas.list(scope)).toEqual([])
  })

  test('conventions: ping answers true', async () => {
    expect(await stores().ping()).toBe(true)
  })
}

function agentWithVersion(scope: TenantScope) {
  const agent = makeAgent(scope)
  return [agent, makeAgentVersion(agent)] as const
}
