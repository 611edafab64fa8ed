import { expect } from 'vitest'
import type { AgentId, InvoiceId, PriceBookId } from '../../ids.js'
import { expectCoreError } from '../expect-core-error.js'
import { makeInvoice, makePriceBook, makeQuota, newId } from '../fixtures.js'
import { allPages, idsOf, type StoreKit, SYSTEM, seedTenant } from './store-kit-context.js'

const utc = (year: number, month: number, day = 1) => new Date(Date.UTC(year, month - 1, day))

/** `PriceBookStore` (platform data: each test uses plans of its own), `InvoiceStore`, `QuotaStore`. */
export function describeBillingStores({ stores, test }: StoreKit): void {
  test('price books: create, get, list newest version first; (plan, version) is unique', async () => {
    const planId = `plan-${newId()}`
    const books = [1, 2, 3].map((version) =>
      makePriceBook({ planId, version, effectiveFrom: utc(2026, version) }),
    )
    for (const book of books) expect(await stores().priceBooks.create(SYSTEM, book)).toEqual(book)
    expect(await stores().priceBooks.get(SYSTEM, books[0]!.id)).toEqual(books[0])
    expect(await stores().priceBooks.get(SYSTEM, newId<PriceBookId>())).toBeNull()
    expect(await stores().priceBooks.list(SYSTEM, planId)).toEqual([...books].reverse())
    await expectCoreError(
      stores().priceBooks.create(SYSTEM, makePriceBook({ planId, version: 2 })),
      'CONFLICT',
    )
    const everyPlan = await stores().priceBooks.list(SYSTEM)
    expect(idsOf(everyPlan)).toEqual(expect.arrayContaining(idsOf(books)))
  })

  test('price books: inForce is the version with the latest effectiveFrom at or before the time', async () => {
    const planId = `plan-${newId()}`
    const january = makePriceBook({ planId, version: 1, effectiveFrom: utc(2026, 1) })
    const april = makePriceBook({ planId, version: 2, effectiveFrom: utc(2026, 4) })
    await stores().priceBooks.create(SYSTEM, april)
    await stores().priceBooks.create(SYSTEM, january)
    expect(await stores().priceBooks.inForce(SYSTEM, planId, utc(2025, 12, 31))).toBeNull()
    expect(await stores().priceBooks.inForce(SYSTEM, planId, utc(2026, 1))).toEqual(january)
    expect(await stores().priceBooks.inForce(SYSTEM, planId, utc(2026, 3, 31))).toEqual(january)
    expect(await stores().priceBooks.inForce(SYSTEM, planId, utc(2026, 4))).toEqual(april)
    expect(await stores().priceBooks.inForce(SYSTEM, `plan-${newId()}`, utc(2026, 4))).toBeNull()
  })

  test('invoices: saveDraft stores a draft; get and getByPeriod find it', async () => {
    const { scope } = await seedTenant(stores())
    const invoice = makeInvoice(scope, { period: '2026-02', eventCount: 3 })
    expect(await stores().invoices.saveDraft(scope, invoice)).toEqual(invoice)
    expect(await stores().invoices.get(scope, invoice.id)).toEqual(invoice)
    expect(await stores().invoices.getByPeriod(scope, '2026-02')).toEqual(invoice)
    expect(await stores().invoices.getByPeriod(scope, '2026-03')).toBeNull()
    expect(await stores().invoices.get(scope, newId<InvoiceId>())).toBeNull()
  })

  test('invoices: saveDraft replaces the period’s open draft, keeping one invoice per period', async () => {
    const { scope } = await seedTenant(stores())
    await stores().invoices.saveDraft(scope, makeInvoice(scope, { period: '2026-02' }))
    const redraft = makeInvoice(scope, {
      period: '2026-02',
      total: 2500,
      digest: 'd'.repeat(64),
      eventCount: 9,
    })
    await stores().invoices.saveDraft(scope, redraft)
    expect(await stores().invoices.getByPeriod(scope, '2026-02')).toMatchObject({
      total: 2500,
      digest: 'd'.repeat(64),
      eventCount: 9,
      lines: redraft.lines,
      status: 'draft',
    })
    const periods = (await stores().invoices.list(scope)).items.map((invoice) => invoice.period)
    expect(periods).toEqual(['2026-02'])
  })

  test('invoices: finalize is idempotent, and a final period refuses a new draft with CONFLICT', async () => {
    const { scope } = await seedTenant(stores())
    const invoice = await stores().invoices.saveDraft(scope, makeInvoice(scope, { period: '2026-01' }))
    const final = await stores().invoices.finalize(scope, invoice.id, utc(2026, 2, 1))
    expect(final).toEqual({ ...invoice, status: 'final', finalizedAt: utc(2026, 2, 1) })
    expect(await stores().invoices.finalize(scope, invoice.id, utc(2026, 2, 5))).toEqual(final)
    await expectCoreError(
      stores().invoices.saveDraft(scope, makeInvoice(scope, { period: '2026-01', total: 1 })),
      'CONFLICT',
    )
    expect(await stores().invoices.getByPeriod(scope, '2026-01')).toEqual(final)
    expect(await stores().invoices.finalize(scope, newId<InvoiceId>(), utc(2026, 2, 1))).toBeNull()
  })

  test('invoices: list is newest period first and pages with a cursor', async () => {
    const { scope } = await seedTenant(stores())
    const periods = ['2025-11', '2026-01', '2025-12', '2026-03', '2026-02']
    for (const period of periods) await stores().invoices.saveDraft(scope, makeInvoice(scope, { period }))
    const pages = await allPages((page) => stores().invoices.list(scope, page), 2)
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1])
    expect(pages.flat().map((invoice) => invoice.period)).toEqual([...periods].sort().reverse())
  })

  test('invoices: another company can neither see nor finalize them', async () => {
    const owner = await seedTenant(stores())
    const intruder = await seedTenant(stores())
    const invoice = await stores().invoices.saveDraft(
      owner.scope,
      makeInvoice(owner.scope, { period: '2026-05' }),
    )
    expect(await stores().invoices.get(intruder.scope, invoice.id)).toBeNull()
    expect(await stores().invoices.getByPeriod(intruder.scope, '2026-05')).toBeNull()
    expect((await stores().invoices.list(intruder.scope)).items).toEqual([])
    expect(await stores().invoices.finalize(intruder.scope, invoice.id, new Date())).toBeNull()
    await stores().invoices.saveDraft(
      intruder.scope,
      makeInvoice(intruder.scope, { period: '2026-05', total: 1 }),
    )
    expect(await stores().invoices.get(owner.scope, invoice.id)).toEqual(invoice)
  })

  test('quotas: put stores one quota per subject and metric, replacing the limit', async () => {
    const { scope } = await seedTenant(stores())
    const agentId = newId<AgentId>()
    await stores().quotas.put(scope, makeQuota(scope, { limit: 1000 }))
    const spend = await stores().quotas.put(scope, makeQuota(scope, { metric: 'spend', limit: 5_000_000 }))
    const forAgent = await stores().quotas.put(
      scope,
      makeQuota(scope, { subject: { type: 'agent', agentId }, limit: 10 }),
    )
    const raised = await stores().quotas.put(scope, makeQuota(scope, { limit: 2000 }))
    expect(raised.limit).toBe(2000)
    const listed = await stores().quotas.list(scope)
    expect(listed).toHaveLength(3)
    expect(listed.find((quota) => quota.subject.type === 'company' && quota.metric === 'tokens')?.limit).toBe(
      2000,
    )
    expect(new Set(idsOf(listed))).toEqual(new Set([raised.id, spend.id, forAgent.id]))
  })

  test('quotas: delete removes once; another company can neither see nor delete them', async () => {
    const owner = await seedTenant(stores())
    const intruder = await seedTenant(stores())
    const quota = await stores().quotas.put(owner.scope, makeQuota(owner.scope))
    expect(await stores().quotas.list(intruder.scope)).toEqual([])
    expect(await stores().quotas.delete(intruder.scope, quota.id)).toBe(false)
    expect(await stores().quotas.list(owner.scope)).toEqual([quota])
    expect(await stores().quotas.delete(owner.scope, quota.id)).toBe(true)
    expect(await stores().quotas.delete(owner.scope, quota.id)).toBe(false)
    expect(await stores().quotas.list(owner.scope)).toEqual([])
  })
}
