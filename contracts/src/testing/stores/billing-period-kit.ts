import { createHash } from 'node:crypto'
import { expect } from 'vitest'
import type { UsageEvent } from '../../domain/usage.js'
import { usageDigestLine } from '../../domain/usage.js'
import type { AgentId } from '../../ids.js'
import type { TenantScope } from '../../scope.js'
import { makeInvoice, makeQuota, makeUsageEvent, newId } from '../fixtures.js'
import { type StoreKit, seedAgent, seedTenant } from './store-kit-context.js'

const utc = (month: number, day: number, hour = 12) => new Date(Date.UTC(2026, month - 1, day, hour))
const EMPTY_DIGEST = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

/** The digest as `usageDigestLine` documents it, computed here from the listed events. */
function digestOf(events: readonly UsageEvent[]): string {
  const hash = createHash('sha256')
  for (const event of [...events].sort((left, right) => (left.id < right.id ? -1 : 1))) {
    hash.update(usageDigestLine(event), 'utf8')
  }
  return hash.digest('hex')
}

async function finalize(kit: StoreKit, scope: TenantScope, period: string): Promise<void> {
  const invoice = await kit.stores().invoices.saveDraft(scope, makeInvoice(scope, { period }))
  await kit.stores().invoices.finalize(scope, invoice.id, new Date())
}

/** `UsageStore.periodTotals`, billing periods around final invoices, and quotas in `turns.load`. */
export function describeBillingPeriods(kit: StoreKit): void {
  const { stores, test } = kit

  test('usage: periodTotals sums the period per kind and model and digests exactly its events', async () => {
    const { scope } = await seedTenant(stores())
    const other = await seedTenant(stores())
    const inPeriod = [
      makeUsageEvent(scope, { occurredAt: utc(6, 1, 0), model: 'gpt-4o', inputTokens: 100, outputTokens: 7 }),
      makeUsageEvent(scope, {
        occurredAt: utc(6, 15),
        model: 'gpt-4o',
        inputTokens: 50,
        outputTokens: 3,
        cachedInputTokens: 20,
      }),
      makeUsageEvent(scope, { occurredAt: utc(6, 20), model: 'claude', inputTokens: 9, outputTokens: 1 }),
      makeUsageEvent(scope, {
        occurredAt: utc(6, 30, 23),
        kind: 'tool.call',
        provider: null,
        model: null,
        inputTokens: 0,
        outputTokens: 0,
        toolName: 'crm.lookup',
        quantity: 1,
      }),
    ]
    await stores().usage.append(scope, [
      ...inPeriod,
      makeUsageEvent(scope, { occurredAt: utc(7, 1, 0) }),
      makeUsageEvent(scope, { occurredAt: utc(5, 31, 23) }),
    ])
    await stores().usage.append(other.scope, [makeUsageEvent(other.scope, { occurredAt: utc(6, 10) })])
    const stored = (await stores().usage.list(scope, { billingPeriod: '2026-06' })).items
    expect(stored).toHaveLength(4)
    const totals = await stores().usage.periodTotals(scope, '2026-06')
    expect(totals.billingPeriod).toBe('2026-06')
    expect(totals.events).toBe(4)
    expect(totals.digest).toBe(digestOf(stored))
    expect(totals.groups).toHaveLength(3)
    expect(totals.groups).toEqual(
      expect.arrayContaining([
        {
          kind: 'llm.tokens',
          model: 'claude',
          events: 1,
          inputTokens: 9,
          outputTokens: 1,
          cachedInputTokens: 0,
          quantity: 0,
        },
        {
          kind: 'llm.tokens',
          model: 'gpt-4o',
          events: 2,
          inputTokens: 150,
          outputTokens: 10,
          cachedInputTokens: 20,
          quantity: 0,
        },
        {
          kind: 'tool.call',
          model: null,
          events: 1,
          inputTokens: 0,
          outputTokens: 0,
          cachedInputTokens: 0,
          quantity: 1,
        },
      ]),
    )
    expect(totals.groups.map((group) => group.kind)).toEqual(['llm.tokens', 'llm.tokens', 'tool.call'])
  })

  test('usage: periodTotals of a period without events has no groups and the digest of nothing', async () => {
    const { scope } = await seedTenant(stores())
    await stores().usage.append(scope, [makeUsageEvent(scope, { occurredAt: utc(2, 2) })])
    expect(await stores().usage.periodTotals(scope, '2026-03')).toEqual({
      billingPeriod: '2026-03',
      events: 0,
      groups: [],
      digest: EMPTY_DIGEST,
    })
  })

  test('usage: periodTotals changes its digest when one more event bills in the period, never when one is appended again', async () => {
    const { scope } = await seedTenant(stores())
    const first = makeUsageEvent(scope, { occurredAt: utc(4, 4) })
    await stores().usage.append(scope, [first])
    const before = await stores().usage.periodTotals(scope, '2026-04')
    await stores().usage.append(scope, [{ ...first, inputTokens: 999 }])
    expect(await stores().usage.periodTotals(scope, '2026-04')).toEqual(before)
    await stores().usage.append(scope, [makeUsageEvent(scope, { occurredAt: utc(4, 5), inputTokens: 1 })])
    const after = await stores().usage.periodTotals(scope, '2026-04')
    expect(after.events).toBe(2)
    expect(after.digest).not.toBe(before.digest)
  })

  test('usage: a late event of a month at or before the latest final invoice bills after it, in periodTotals too', async () => {
    const { scope } = await seedTenant(stores())
    await finalize(kit, scope, '2026-08')
    const late = makeUsageEvent(scope, { occurredAt: utc(8, 31, 23), inputTokens: 40 })
    // July had no invoice at all: still before the latest final one, so it bills after it too.
    const older = makeUsageEvent(scope, { occurredAt: utc(7, 2), inputTokens: 2 })
    await stores().usage.append(scope, [late, older])
    expect((await stores().usage.periodTotals(scope, '2026-08')).events).toBe(0)
    expect((await stores().usage.periodTotals(scope, '2026-07')).events).toBe(0)
    const september = await stores().usage.periodTotals(scope, '2026-09')
    expect(september.events).toBe(2)
    expect(september.groups).toEqual([expect.objectContaining({ kind: 'llm.tokens', inputTokens: 42 })])
  })

  test('turns: load returns the company’s quotas oldest first, and none of another company’s', async () => {
    const { scope } = await seedTenant(stores())
    const other = await seedTenant(stores())
    const { agent } = await seedAgent(stores(), scope)
    const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds))
    const spend = await stores().quotas.put(
      scope,
      makeQuota(scope, { metric: 'spend', limit: 5_000_000, createdAt: at(1), updatedAt: at(1) }),
    )
    const tokens = await stores().quotas.put(
      scope,
      makeQuota(scope, {
        subject: { type: 'agent', agentId: newId<AgentId>() },
        createdAt: at(2),
        updatedAt: at(2),
      }),
    )
    await stores().quotas.put(other.scope, makeQuota(other.scope))
    const context = await stores().turns.load(scope, { agentId: agent.id })
    expect(context.quotas).toEqual([spend, tokens])
    expect(context.quotas).toEqual(await stores().quotas.list(scope))
  })
}
