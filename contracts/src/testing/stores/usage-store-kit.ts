import { expect } from 'vitest'
import type { AgentId, ApiKeyId } from '../../ids.js'
import type { UsageFilter, UsageGroupKey, UsageSummaryRow } from '../../ports/stores/usage-store.js'
import { makeInvoice, makeUsageEvent, newId } from '../fixtures.js'
import { allPages, idsOf, type StoreKit, SYSTEM, seedTenant } from './store-kit-context.js'

const utc = (month: number, day: number, hour = 12) => new Date(Date.UTC(2026, month - 1, day, hour))
const totals = (
  events: number,
  inputTokens: number,
  outputTokens: number,
  cachedInputTokens: number,
  quantity: number,
) => ({
  events,
  inputTokens,
  outputTokens,
  cachedInputTokens,
  quantity,
})

/** Rows must match as a set; rows whose keys are all non-null must also come in the expected order. */
function expectRows(actual: readonly UsageSummaryRow[], expected: readonly UsageSummaryRow[]): void {
  expect(actual).toHaveLength(expected.length)
  expect(actual).toEqual(expect.arrayContaining(expected.map((row) => expect.objectContaining(row))))
  const hasNoNull = (row: UsageSummaryRow) => Object.values(row).every((value) => value !== null)
  expect(actual.filter(hasNoNull)).toEqual(expected.filter(hasNoNull))
}

/** `UsageStore`: append-only, idempotent, billed by period, summarized by any keys. */
export function describeUsageStore({ stores, test }: StoreKit): void {
  test('usage: append stores new events with their billing period and counts only new ones', async () => {
    const { scope } = await seedTenant(stores())
    const [a, b, c] = [utc(1, 31, 23), utc(2, 1, 0), utc(2, 14)].map((occurredAt) =>
      makeUsageEvent(scope, { occurredAt }),
    )
    expect(await stores().usage.append(scope, [a!, b!])).toBe(2)
    expect(await stores().usage.append(scope, [a!, b!])).toBe(0)
    expect(await stores().usage.append(scope, [b!, c!])).toBe(1)
    expect(await stores().usage.append(scope, [])).toBe(0)
    expect((await stores().usage.list(scope)).items).toEqual([
      { ...a, billingPeriod: '2026-01' },
      { ...b, billingPeriod: '2026-02' },
      { ...c, billingPeriod: '2026-02' },
    ])
  })

  test('usage: appending a known id never changes the stored event', async () => {
    const { scope } = await seedTenant(stores())
    const event = makeUsageEvent(scope, { occurredAt: utc(3, 3), inputTokens: 100 })
    await stores().usage.append(scope, [event])
    expect(await stores().usage.append(scope, [{ ...event, inputTokens: 1, occurredAt: utc(4, 4) }])).toBe(0)
    expect((await stores().usage.list(scope)).items).toEqual([{ ...event, billingPeriod: '2026-03' }])
  })

  test('usage: events of an already finalized month bill in the month after the latest final invoice', async () => {
    const { scope } = await seedTenant(stores())
    const other = await seedTenant(stores())
    const march = await stores().invoices.saveDraft(scope, makeInvoice(scope, { period: '2026-03' }))
    await stores().invoices.finalize(scope, march.id, utc(4, 2))
    const late = makeUsageEvent(scope, { occurredAt: utc(3, 30) })
    const may = makeUsageEvent(scope, { occurredAt: utc(5, 2) })
    const elsewhere = makeUsageEvent(other.scope, { occurredAt: utc(3, 30) })
    await stores().usage.append(scope, [late, may])
    await stores().usage.append(other.scope, [elsewhere])
    const april = await stores().invoices.saveDraft(scope, makeInvoice(scope, { period: '2026-04' }))
    await stores().invoices.finalize(scope, april.id, utc(5, 2))
    const later = makeUsageEvent(scope, { occurredAt: utc(3, 31) })
    await stores().usage.append(scope, [later])
    const periods = Object.fromEntries(
      (await stores().usage.list(scope)).items.map((event) => [event.id, event.billingPeriod]),
    )
    expect(periods).toEqual({ [late.id]: '2026-04', [may.id]: '2026-05', [later.id]: '2026-05' })
    expect((await stores().usage.list(other.scope)).items[0]?.billingPeriod).toBe('2026-03')
  })

  test('usage: list is oldest first by id, filters, and pages with a cursor', async () => {
    const { scope } = await seedTenant(stores())
    const agentId = newId<AgentId>()
    const apiKeyId = newId<ApiKeyId>()
    const events = [
      makeUsageEvent(scope, { occurredAt: utc(1, 5), agentId }),
      makeUsageEvent(scope, {
        occurredAt: utc(1, 20),
        kind: 'tool.call',
        toolName: 'crm.lookup',
        quantity: 1,
        apiKeyId,
      }),
      makeUsageEvent(scope, { occurredAt: utc(2, 1, 0), agentId, apiKeyId }),
      makeUsageEvent(scope, { occurredAt: utc(2, 10), kind: 'kb.query', quantity: 1 }),
      makeUsageEvent(scope, { occurredAt: utc(3, 1) }),
    ]
    await stores().usage.append(scope, [...events].reverse())
    const pages = await allPages((page) => stores().usage.list(scope, {}, page), 2)
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1])
    expect(idsOf(pages.flat())).toEqual(idsOf(events))
    const list = async (filter: object) => idsOf((await stores().usage.list(scope, filter)).items)
    expect(await list({ from: utc(1, 20), to: utc(2, 10) })).toEqual(idsOf(events.slice(1, 3)))
    expect(await list({ billingPeriod: '2026-02' })).toEqual(idsOf(events.slice(2, 4)))
    expect(await list({ kind: 'tool.call' })).toEqual([events[1]!.id])
    expect(await list({ agentId })).toEqual([events[0]!.id, events[2]!.id])
    expect(await list({ apiKeyId, billingPeriod: '2026-02' })).toEqual([events[2]!.id])
  })

  test('usage: summarize totals events grouped by each key and by several', async () => {
    const { scope } = await seedTenant(stores())
    const [agentA, agentB] = [newId<AgentId>(), newId<AgentId>()]
    const key = newId<ApiKeyId>()
    const llm = { provider: 'openai', model: 'gpt-4o' }
    await stores().usage.append(scope, [
      makeUsageEvent(scope, {
        occurredAt: utc(1, 10),
        agentId: agentA,
        apiKeyId: key,
        ...llm,
        inputTokens: 10,
        outputTokens: 5,
      }),
      makeUsageEvent(scope, {
        occurredAt: utc(1, 10),
        agentId: agentA,
        kind: 'tool.call',
        provider: null,
        model: null,
        inputTokens: 0,
        outputTokens: 0,
        quantity: 1,
      }),
      makeUsageEvent(scope, {
        occurredAt: utc(1, 11),
        agentId: agentB,
        apiKeyId: key,
        provider: 'anthropic',
        model: 'claude',
        inputTokens: 20,
        outputTokens: 7,
        cachedInputTokens: 3,
      }),
      makeUsageEvent(scope, {
        occurredAt: utc(1, 11),
        kind: 'embedding.tokens',
        provider: 'openai',
        model: 'embed',
        inputTokens: 0,
        outputTokens: 0,
        quantity: 50,
      }),
    ])
    const summarize = (groupBy: readonly UsageGroupKey[], filter: UsageFilter = {}) =>
      stores().usage.summarize(scope, filter, groupBy)
    expectRows(await summarize([]), [totals(4, 30, 12, 3, 51)])
    expectRows(await summarize(['day']), [
      { day: '2026-01-10', ...totals(2, 10, 5, 0, 1) },
      { day: '2026-01-11', ...totals(2, 20, 7, 3, 50) },
    ])
    expectRows(await summarize(['kind']), [
      { kind: 'embedding.tokens', ...totals(1, 0, 0, 0, 50) },
      { kind: 'llm.tokens', ...totals(2, 30, 12, 3, 0) },
      { kind: 'tool.call', ...totals(1, 0, 0, 0, 1) },
    ])
    expectRows(await summarize(['agent']), [
      { agentId: agentA, ...totals(2, 10, 5, 0, 1) },
      { agentId: agentB, ...totals(1, 20, 7, 3, 0) },
      { agentId: null, ...totals(1, 0, 0, 0, 50) },
    ])
    expectRows(await summarize(['model']), [
      { model: 'claude', ...totals(1, 20, 7, 3, 0) },
      { model: 'embed', ...totals(1, 0, 0, 0, 50) },
      { model: 'gpt-4o', ...totals(1, 10, 5, 0, 0) },
      { model: null, ...totals(1, 0, 0, 0, 1) },
    ])
    expectRows(await summarize(['provider']), [
      { provider: 'anthropic', ...totals(1, 20, 7, 3, 0) },
      { provider: 'openai', ...totals(2, 10, 5, 0, 50) },
      { provider: null, ...totals(1, 0, 0, 0, 1) },
    ])
    expectRows(await summarize(['apiKey']), [
      { apiKeyId: key, ...totals(2, 30, 12, 3, 0) },
      { apiKeyId: null, ...totals(2, 0, 0, 0, 51) },
    ])
    expectRows(await summarize(['agent', 'kind']), [
      { agentId: agentA, kind: 'llm.tokens', ...totals(1, 10, 5, 0, 0) },
      { agentId: agentA, kind: 'tool.call', ...totals(1, 0, 0, 0, 1) },
      { agentId: agentB, kind: 'llm.tokens', ...totals(1, 20, 7, 3, 0) },
      { agentId: null, kind: 'embedding.tokens', ...totals(1, 0, 0, 0, 50) },
    ])
    expectRows(await summarize(['day'], { kind: 'llm.tokens' }), [
      { day: '2026-01-10', ...totals(1, 10, 5, 0, 0) },
      { day: '2026-01-11', ...totals(1, 20, 7, 3, 0) },
    ])
  })

  test('usage: companiesWithUsage lists the companies billed in a period', async () => {
    const first = await seedTenant(stores())
    const second = await seedTenant(stores())
    const elsewhere = await seedTenant(stores())
    await stores().usage.append(first.scope, [makeUsageEvent(first.scope, { occurredAt: utc(6, 1) })])
    await stores().usage.append(second.scope, [makeUsageEvent(second.scope, { occurredAt: utc(6, 30) })])
    await stores().usage.append(elsewhere.scope, [
      makeUsageEvent(elsewhere.scope, { occurredAt: utc(7, 1, 0) }),
    ])
    const companies = await stores().usage.companiesWithUsage(SYSTEM, '2026-06')
    expect(companies).toEqual(expect.arrayContaining([first.scope.companyId, second.scope.companyId]))
    expect(companies).not.toContain(elsewhere.scope.companyId)
  })

  test('usage: another company sees none of the events', async () => {
    const owner = await seedTenant(stores())
    const intruder = await seedTenant(stores())
    const event = makeUsageEvent(owner.scope, { occurredAt: utc(8, 8) })
    await stores().usage.append(owner.scope, [event])
    expect((await stores().usage.list(intruder.scope)).items).toEqual([])
    expect(await stores().usage.summarize(intruder.scope, {}, ['kind'])).toEqual([])
    expect(idsOf((await stores().usage.list(owner.scope)).items)).toEqual([event.id])
  })
}
