import type { InvoiceId } from '@agentry/contracts'
import { tenantScope } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { billingTenant, perMillion, perUnit, utc } from './billing-world.js'

const PRICES = [
  perMillion('llm.input_tokens', '*', 3_000_000),
  perMillion('llm.output_tokens', '*', 15_000_000),
  perUnit('tool.calls', 20_000, 2),
]

describe('InvoiceService.draft', () => {
  it('drafts a period from its events: lines, integer total, digest, and the book it used', async () => {
    const tenant = await billingTenant()
    const book = await tenant.usePlan(PRICES, { baseFeeMicros: 49_000_000 })
    await tenant.append(
      { occurredAt: utc(11, 3), model: 'gpt-4o', inputTokens: 400_000, outputTokens: 10_000 },
      { occurredAt: utc(11, 4), model: 'gpt-4o', inputTokens: 100_000, outputTokens: 30_000 },
      {
        occurredAt: utc(11, 5),
        kind: 'tool.call',
        model: null,
        provider: null,
        inputTokens: 0,
        outputTokens: 0,
        quantity: 1,
      },
      {
        occurredAt: utc(11, 5),
        kind: 'tool.call',
        model: null,
        provider: null,
        inputTokens: 0,
        outputTokens: 0,
        quantity: 1,
      },
      {
        occurredAt: utc(11, 6),
        kind: 'tool.call',
        model: null,
        provider: null,
        inputTokens: 0,
        outputTokens: 0,
        quantity: 1,
      },
      { occurredAt: utc(10, 31, 23, 59, 59, 999), model: 'gpt-4o', inputTokens: 1_000_000, outputTokens: 0 },
    )
    const { invoice, change } = await tenant.world.agentry.billing.invoices.draft(tenant.context, '2026-11')
    expect(change).toBe('created')
    // 500,000 in x 3 USD/M = 150 cents; 40,000 out x 15 USD/M = 60 cents; 3 calls, 2 included, 1 x 2 cents.
    expect(
      invoice.lines.map((line) => [
        line.meter,
        line.model,
        line.quantity,
        line.billableQuantity,
        line.amount,
      ]),
    ).toEqual([
      ['base_fee', null, 1, 1, 4900],
      ['llm.input_tokens', 'gpt-4o', 500_000, 500_000, 150],
      ['llm.output_tokens', 'gpt-4o', 40_000, 40_000, 60],
      ['tool.calls', null, 3, 1, 2],
    ])
    expect(invoice).toMatchObject({
      period: '2026-11',
      currency: 'USD',
      status: 'draft',
      total: 5112,
      eventCount: 5,
      priceBookId: book.id,
      priceBookVersion: 1,
      finalizedAt: null,
    })
    expect(invoice.digest).toMatch(/^[0-9a-f]{64}$/)
  })

  it('drafting again changes nothing while nothing changed, and replaces the draft when usage did', async () => {
    const tenant = await billingTenant()
    await tenant.usePlan(PRICES)
    await tenant.append({ occurredAt: utc(11, 3), inputTokens: 1_000_000 })
    const invoices = tenant.world.agentry.billing.invoices
    const first = await invoices.draft(tenant.context, '2026-11')
    tenant.world.clock.advance(60_000)
    const again = await invoices.draft(tenant.context, '2026-11')
    expect(again).toEqual({ invoice: first.invoice, change: 'unchanged' })
    await tenant.append({ occurredAt: utc(11, 4), inputTokens: 1_000_000 })
    const replaced = await invoices.draft(tenant.context, '2026-11')
    expect(replaced.change).toBe('replaced')
    expect(replaced.invoice.id).toBe(first.invoice.id)
    expect(replaced.invoice.digest).not.toBe(first.invoice.digest)
    expect(replaced.invoice.total).toBe(600)
    expect((await invoices.list(tenant.context)).items.map((invoice) => invoice.total)).toEqual([600])
  })

  it('names a bad or future period, and a plan without a price book', async () => {
    const tenant = await billingTenant()
    const invoices = tenant.world.agentry.billing.invoices
    await expect(invoices.draft(tenant.context, '2026-13')).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await expect(invoices.draft(tenant.context, '2026-12')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('has not started'),
    })
    await tenant.world.agentry.companies.update(tenant.platform, { planId: 'nothing-priced' })
    await expect(invoices.draft(tenant.context, '2026-11')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('nothing-priced'),
    })
  })

  it('bills new companies on the shipped default plan (seeded on demand, the scripted model free)', async () => {
    const tenant = await billingTenant()
    await tenant.append({ occurredAt: utc(11, 2), inputTokens: 5000, outputTokens: 100 })
    await tenant.append({ occurredAt: utc(11, 2), model: 'gpt-4o', inputTokens: 1_000_000, outputTokens: 0 })
    const { invoice } = await tenant.world.agentry.billing.invoices.draft(tenant.context, '2026-11')
    expect(invoice.lines.map((line) => [line.model, line.meter, line.amount])).toEqual([
      ['gpt-4o', 'llm.input_tokens', 250],
      ['scripted', 'llm.input_tokens', 0],
      ['scripted', 'llm.output_tokens', 0],
    ])
    const current = await tenant.world.agentry.billing.priceBooks.current(tenant.context)
    expect(current).toMatchObject({ planId: 'default', version: 1 })
  })
})

describe('InvoiceService.finalize and late events', () => {
  it('freezes a past period; events that arrive later bill in the next period', async () => {
    const tenant = await billingTenant()
    await tenant.usePlan(PRICES)
    await tenant.append({ occurredAt: utc(10, 1), inputTokens: 1_000_000 })
    const invoices = tenant.world.agentry.billing.invoices
    const { invoice } = await invoices.draft(tenant.context, '2026-10')
    const final = await invoices.finalize(tenant.context, invoice.id)
    expect(final).toMatchObject({ status: 'final', total: 300, finalizedAt: tenant.world.clock.now() })
    expect(await invoices.finalize(tenant.context, invoice.id)).toEqual(final)
    const [late] = await tenant.append({ occurredAt: utc(10, 31, 23, 59, 59, 999), inputTokens: 2_000_000 })
    const stored = await tenant.world.stores.usage.list(tenantScope(tenant.companyId), {
      billingPeriod: '2026-11',
    })
    expect(stored.items.map((event) => event.id)).toEqual([late?.id])
    await expect(invoices.draft(tenant.context, '2026-10')).rejects.toMatchObject({ code: 'CONFLICT' })
    const november = await invoices.draft(tenant.context, '2026-11')
    expect(november.invoice).toMatchObject({ total: 600, eventCount: 1 })
    expect((await invoices.verify(tenant.context, invoice.id)).matches).toBe(true)
    expect(await invoices.get(tenant.context, invoice.id)).toEqual(final)
    // A later plan change does not reprice the closed period.
    await tenant.usePlan([perMillion('llm.input_tokens', '*', 9_000_000)])
    expect((await invoices.verify(tenant.context, invoice.id)).matches).toBe(true)
    expect((await invoices.draft(tenant.context, '2026-11')).invoice.total).toBe(1800)
  })

  it('refuses to finalize a running period or a draft that no longer recomputes', async () => {
    const tenant = await billingTenant()
    await tenant.usePlan(PRICES)
    const invoices = tenant.world.agentry.billing.invoices
    await tenant.append({ occurredAt: utc(11, 1), inputTokens: 10 })
    const running = await invoices.draft(tenant.context, '2026-11')
    await expect(invoices.finalize(tenant.context, running.invoice.id)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('runs until 2026-12-01T00:00:00.000Z'),
    })
    await tenant.append({ occurredAt: utc(10, 20), inputTokens: 1_000_000 })
    const october = await invoices.draft(tenant.context, '2026-10')
    await tenant.append({ occurredAt: utc(10, 21), inputTokens: 1_000_000 })
    await expect(invoices.finalize(tenant.context, october.invoice.id)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('1 events when drafted, 2 now'),
    })
    const redrafted = await invoices.draft(tenant.context, '2026-10')
    expect((await invoices.finalize(tenant.context, redrafted.invoice.id)).total).toBe(600)
  })
})

describe('InvoiceService.verify', () => {
  it('recomputes and names what differs: new events, a new price book version', async () => {
    const tenant = await billingTenant()
    const book = await tenant.usePlan(PRICES)
    await tenant.append({ occurredAt: utc(11, 1), inputTokens: 1_000_000 })
    const invoices = tenant.world.agentry.billing.invoices
    const { invoice } = await invoices.draft(tenant.context, '2026-11')
    expect(await invoices.verify(tenant.context, invoice.id)).toMatchObject({
      matches: true,
      differences: [],
    })
    await tenant.append({ occurredAt: utc(11, 2), inputTokens: 1 })
    const stale = await invoices.verify(tenant.context, invoice.id)
    expect(stale.matches).toBe(false)
    expect(stale.differences).toEqual(['events: 1 stored, 2 now', 'lines differ'])
    expect(stale.recomputed.total).toBe(300)
    await invoices.draft(tenant.context, '2026-11')
    await tenant.world.agentry.billing.priceBooks.create(
      { actor: { type: 'platform-admin' } },
      {
        planId: book.planId,
        currency: 'USD',
        effectiveFrom: utc(11, 1),
        prices: [perMillion('llm.input_tokens', '*', 1)],
      },
    )
    const repriced = await invoices.verify(tenant.context, invoice.id)
    expect(repriced.matches).toBe(false)
    expect(repriced.differences).toEqual([
      'price book: v1 stored, v2 in force',
      'total: 300 stored, 0 now',
      'lines differ',
    ])
  })
})

describe('invoice access', () => {
  it('needs billing:view to read and billing:manage to draft; other companies see nothing', async () => {
    const tenant = await billingTenant()
    await tenant.usePlan(PRICES)
    await tenant.append({ occurredAt: utc(11, 1) })
    const { agentry } = tenant.world
    const { invoice } = await agentry.billing.invoices.draft(tenant.context, '2026-11')
    const key = await agentry.apiKeys.create(tenant.context, {
      name: 'viewer',
      permissions: ['billing:view'],
    })
    const viewer = { actor: await agentry.apiKeys.authenticate(key.key) }
    expect((await agentry.billing.invoices.get(viewer, invoice.id)).id).toBe(invoice.id)
    await expect(agentry.billing.invoices.draft(viewer, '2026-11')).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    await expect(agentry.billing.invoices.finalize(viewer, invoice.id)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    const other = await billingTenant(tenant.world, 'Other')
    await expect(agentry.billing.invoices.get(other.context, invoice.id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
    await expect(agentry.billing.invoices.verify(other.context, invoice.id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
    await expect(agentry.billing.invoices.finalize(other.context, invoice.id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
    expect((await agentry.billing.invoices.list(other.context)).items).toEqual([])
    await expect(agentry.billing.invoices.get(tenant.context, 'nope' as InvoiceId)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
  })
})
