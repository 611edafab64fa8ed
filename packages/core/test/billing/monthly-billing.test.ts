import type { Invoice, JobQueue } from '@agentry/contracts'
import { tenantScope } from '@agentry/contracts'
import { waitUntil } from '@agentry/contracts/testing'
import { MemoryJobQueue } from '@agentry/memory'
import { afterEach, describe, expect, it } from 'vitest'
import { INVOICE_DRAFT_JOB, MONTHLY_BILLING_JOB, previousBillingPeriod } from '../../src/index.js'
import { createTestWorld } from '../helpers.js'
import { billingTenant, perMillion, utc } from './billing-world.js'

const queues: JobQueue[] = []
afterEach(async () => {
  await Promise.all(queues.splice(0).map((queue) => queue.close()))
})

/** Three companies made in October: one with usage, one with a base fee only, one idle; now is 2026-11-25. */
async function octoberWorld() {
  const world = createTestWorld()
  const queue = new MemoryJobQueue({ clock: world.clock })
  queues.push(queue)
  const sinceOctober = world.clock.now().getTime() - utc(10, 10).getTime()
  world.clock.advance(-sinceOctober)
  const used = await billingTenant(world, 'Used')
  await used.usePlan([perMillion('llm.input_tokens', '*', 1_000_000)])
  await used.append({ occurredAt: utc(10, 15), inputTokens: 3_000_000 })
  const feeOnly = await billingTenant(world, 'Fee only')
  await feeOnly.usePlan([], { baseFeeMicros: 25_000_000 })
  const idle = await billingTenant(world, 'Idle on default')
  world.clock.advance(sinceOctober)
  const lateFee = await billingTenant(world, 'Made in November')
  await lateFee.usePlan([], { baseFeeMicros: 1_000_000 })
  const billing = world.agentry.billing.monthly
  for (const [kind, handler] of Object.entries(billing.handlers(queue)))
    queue.process(kind, handler, { concurrency: 2 })
  return { world, queue, used, feeOnly, idle, lateFee, billing }
}

async function invoicesOf(world: ReturnType<typeof createTestWorld>, companyId: string): Promise<Invoice[]> {
  return [...(await world.stores.invoices.list(tenantScope(companyId as never))).items]
}

describe('the monthly billing job', () => {
  it('knows the month just ended, also across a year', () => {
    expect(previousBillingPeriod('2026-11')).toBe('2026-10')
    expect(previousBillingPeriod('2026-01')).toBe('2025-12')
  })

  it('drafts the month just ended for companies with usage or a base fee, one job each', async () => {
    const { world, queue, used, feeOnly, idle, lateFee, billing } = await octoberWorld()
    const run = await billing.enqueueFor(queue)
    expect(run).toMatchObject({ kind: MONTHLY_BILLING_JOB, companyId: null, payload: { period: '2026-10' } })
    await waitUntil(
      async () =>
        (await invoicesOf(world, feeOnly.companyId)).length === 1 &&
        (await invoicesOf(world, used.companyId)).length === 1,
    )
    await waitUntil(async () => (await queue.depth(INVOICE_DRAFT_JOB)).active === 0)
    expect(
      (await invoicesOf(world, used.companyId)).map((invoice) => [invoice.period, invoice.total]),
    ).toEqual([['2026-10', 300]])
    expect(
      (await invoicesOf(world, feeOnly.companyId)).map((invoice) => [invoice.period, invoice.total]),
    ).toEqual([['2026-10', 2500]])
    expect(await invoicesOf(world, idle.companyId)).toEqual([])
    // A company made after the period owes no base fee for it.
    expect(await invoicesOf(world, lateFee.companyId)).toEqual([])
    const drafts = await world.stores.audit.list(tenantScope(used.companyId), { action: 'invoice.draft' })
    expect(drafts.items.map((entry) => entry.actor)).toEqual(['system'])
  })

  it('changes nothing when run twice, and skips a period already final', async () => {
    const { world, queue, used, feeOnly, billing } = await octoberWorld()
    const first = await billing.enqueueFor(queue)
    await waitUntil(
      async () => (await queue.get({ type: 'system', reason: 'test' }, first.id))?.status === 'completed',
    )
    await waitUntil(async () => (await invoicesOf(world, feeOnly.companyId)).length === 1)
    await waitUntil(
      async () =>
        (await queue.depth(INVOICE_DRAFT_JOB)).active + (await queue.depth(INVOICE_DRAFT_JOB)).waiting === 0,
    )
    const before = [
      ...(await invoicesOf(world, used.companyId)),
      ...(await invoicesOf(world, feeOnly.companyId)),
    ]
    expect((await billing.enqueueFor(queue)).id).toBe(first.id)
    const handlers = billing.handlers(queue)
    const signal = new AbortController().signal
    const context = { kind: MONTHLY_BILLING_JOB, companyId: null, attempt: 1, maxAttempts: 3, signal }
    await handlers[MONTHLY_BILLING_JOB]?.({
      ...context,
      id: 'again' as never,
      payload: { period: '2026-10' },
    })
    const draft = handlers[INVOICE_DRAFT_JOB]
    expect(
      await draft?.({
        ...context,
        kind: INVOICE_DRAFT_JOB,
        companyId: used.companyId,
        id: 'x' as never,
        payload: { period: '2026-10' },
      }),
    ).toMatchObject({ change: 'unchanged' })
    const after = [
      ...(await invoicesOf(world, used.companyId)),
      ...(await invoicesOf(world, feeOnly.companyId)),
    ]
    expect(after).toEqual(before)
    await world.agentry.billing.invoices.finalize(used.context, before[0]!.id)
    expect(
      await draft?.({
        ...context,
        kind: INVOICE_DRAFT_JOB,
        companyId: used.companyId,
        id: 'y' as never,
        payload: { period: '2026-10' },
      }),
    ).toEqual({ period: '2026-10', change: 'final' })
  })

  it('takes the month just ended when a schedule sends no period', async () => {
    const { world, queue, used, billing } = await octoberWorld()
    const handlers = billing.handlers(queue)
    const context = {
      id: 'cron' as never,
      kind: MONTHLY_BILLING_JOB,
      companyId: null,
      attempt: 1,
      maxAttempts: 3,
    }
    expect(
      await handlers[MONTHLY_BILLING_JOB]?.({
        ...context,
        payload: {},
        signal: new AbortController().signal,
      }),
    ).toEqual({ period: '2026-10', companies: 2 })
    await waitUntil(async () => (await invoicesOf(world, used.companyId)).length === 1)
  })

  it('fails a run without a valid period at once', async () => {
    const world = createTestWorld()
    const queue = new MemoryJobQueue({ clock: world.clock })
    queues.push(queue)
    const handler = world.agentry.billing.monthly.handlers(queue)[MONTHLY_BILLING_JOB]
    const context = {
      id: 'z' as never,
      kind: MONTHLY_BILLING_JOB,
      companyId: null,
      attempt: 1,
      maxAttempts: 3,
    }
    await expect(
      handler?.({ ...context, payload: { period: 'October' }, signal: new AbortController().signal }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', isRetryable: false })
  })
})
