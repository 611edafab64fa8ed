import type { CompanyId, NewUsageEvent } from '@agentry/contracts'
import { tenantScope } from '@agentry/contracts'
import { makeUsageEvent, waitUntil } from '@agentry/contracts/testing'
import { MONTHLY_BILLING_JOB, previousBillingPeriod } from '@agentry/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWorker } from '../../src/worker.js'
import {
  chat,
  createAgent,
  createCompany,
  localRules,
  type TestAgent,
  type TestCompany,
} from './tenant-fixtures.js'
import { expectStatus, TestApi } from './test-api.js'
import { ADMIN_TOKEN, type TestPlatform } from './test-platform.js'

interface Invoice {
  readonly id: string
  readonly period: string
  readonly currency: string
  readonly status: string
  readonly total: number
  readonly digest: string
  readonly eventCount: number
  readonly lines: {
    meter: string
    model: string | null
    quantity: number
    billableQuantity: number
    unitPriceMicros: number
    per: number
    amount: number
  }[]
}

interface UsageEventWire {
  readonly kind: string
  readonly model: string | null
  readonly inputTokens: number
  readonly outputTokens: number
  readonly billingPeriod: string
}

const period = (date = new Date()) => date.toISOString().slice(0, 7)
const monthStart = (value: string) => `${value}-01T00:00:00.000Z`

/** Half to even, in BigInt: the rounding docs/billing.md states, written here on its own. */
function roundHalfEven(numerator: bigint, denominator: bigint): number {
  const whole = numerator / denominator
  const twice = 2n * (numerator % denominator)
  return Number(twice > denominator || (twice === denominator && whole % 2n === 1n) ? whole + 1n : whole)
}

/**
 * Billing over HTTP after real chat turns: a plan of the test's own, the invoice draft of the
 * current period with amounts recomputed here from the usage events, redraft, CSV, quotas that
 * refuse before the model is called, late events after a final invoice, and the monthly job.
 */
export function describeBillingAcceptance(title: string, start: () => Promise<TestPlatform>): void {
  describe(title, () => {
    let platform: TestPlatform
    let admin: TestApi
    let acme: TestCompany
    let agent: TestAgent
    const planId = `acceptance-${Date.now().toString(36)}`

    beforeAll(async () => {
      platform = await start()
      admin = new TestApi(platform.app).as(ADMIN_TOKEN)
    })
    afterAll(() => platform?.close())

    it('puts a company on a new plan and chats with its agent', async () => {
      const book = await admin.post<{ data: { version: number; planId: string } }>('/api/v1/price-books', {
        planId,
        effectiveFrom: monthStart(period()),
        currency: 'USD',
        baseFeeMicros: 9_990_000,
        prices: [
          // 0.1 cent per input token and 0.3 cent per output token: small turns still cost cents.
          { meter: 'llm.input_tokens', modelPattern: '*', unitPriceMicros: 1_000_000, per: 1000 },
          { meter: 'llm.output_tokens', modelPattern: 'scripted', unitPriceMicros: 3_000_000, per: 1000 },
        ],
      })
      expect(expectStatus(book, 201).body.data).toMatchObject({ planId, version: 1 })
      const created = await admin.post<{ data: { company: { id: string }; apiKey: string } }>(
        '/api/v1/companies',
        {
          name: 'Acme billing',
          planId,
        },
      )
      const { company, apiKey } = expectStatus(created, 201).body.data
      acme = { companyId: company.id, apiKey, api: new TestApi(platform.app, apiKey) }
      agent = await createAgent(acme, {
        name: 'Billed',
        config: {
          providerOptions: localRules([{ when: { always: true }, reply: 'Billed answer to: {{input}}' }]),
        },
      })
      for (const message of ['first question', 'a second, longer question about invoices', 'third']) {
        expect((await chat(acme, agent.id, { message })).outcome.type).toBe('replied')
      }
      const current = await acme.api.get<{ data: { planId: string } }>('/api/v1/price-books/current')
      expect(expectStatus(current, 200).body.data.planId).toBe(planId)
    })

    it('drafts the current period with the right amounts, recomputed here from the usage events', async () => {
      const events = await acme.api.get<{ data: UsageEventWire[] }>(
        `/api/v1/usage/events?billingPeriod=${period()}&limit=200`,
      )
      const billed = expectStatus(events, 200).body.data.filter((event) => event.kind === 'llm.tokens')
      expect(billed).toHaveLength(3)
      const input = billed.reduce((sum, event) => sum + event.inputTokens, 0)
      const output = billed.reduce((sum, event) => sum + event.outputTokens, 0)
      const response = await acme.api.post<{ data: Invoice }>('/api/v1/invoices/draft', { period: period() })
      const invoice = expectStatus(response, 201).body.data
      expect(Object.keys(invoice)).toEqual(
        expect.arrayContaining(['id', 'period', 'currency', 'lines', 'total', 'digest', 'status']),
      )
      const inputAmount = roundHalfEven(BigInt(input) * 1_000_000n * 100n, 1000n * 1_000_000n)
      const outputAmount = roundHalfEven(BigInt(output) * 3_000_000n * 100n, 1000n * 1_000_000n)
      expect(invoice).toMatchObject({ period: period(), currency: 'USD', status: 'draft', eventCount: 3 })
      expect(invoice.lines.map((line) => [line.meter, line.model, line.quantity, line.amount])).toEqual([
        ['base_fee', null, 1, 999],
        ['llm.input_tokens', 'scripted', input, inputAmount],
        ['llm.output_tokens', 'scripted', output, outputAmount],
      ])
      expect(invoice.total).toBe(999 + inputAmount + outputAmount)
      expect(inputAmount).toBeGreaterThan(0)
      expect(invoice.digest).toMatch(/^[0-9a-f]{64}$/)
      const again = expectStatus(
        await acme.api.post<{ data: Invoice }>('/api/v1/invoices/draft', { period: period() }),
        200,
      )
      expect(again.body.data).toEqual(invoice)
      const verified = await acme.api.get<{ data: { matches: boolean } }>(
        `/api/v1/invoices/${invoice.id}/verify`,
      )
      expect(expectStatus(verified, 200).body.data.matches).toBe(true)
      const listed = await acme.api.get<{ data: Invoice[] }>('/api/v1/invoices')
      expect(expectStatus(listed, 200).body.data.map((item) => item.id)).toEqual([invoice.id])
      const running = await acme.api.post<{ error: { code: string } }>(
        `/api/v1/invoices/${invoice.id}/finalize`,
      )
      expect([running.status, running.body.error.code]).toEqual([409, 'CONFLICT'])
    })

    it('exports the usage summary as CSV', async () => {
      const csv = await acme.api.get(
        `/api/v1/usage/summary?groupBy=model,kind&billingPeriod=${period()}&format=csv`,
      )
      expect(expectStatus(csv, 200).headers['content-type']).toContain('text/csv')
      const [header, ...rows] = csv.text.trim().split('\r\n')
      expect(header).toBe('model,kind,events,inputTokens,outputTokens,cachedInputTokens,quantity')
      expect(rows).toHaveLength(1)
      expect(rows[0]).toMatch(/^scripted,llm\.tokens,3,\d+,\d+,0,3$/)
      const byAccept = await acme.api.get('/api/v1/usage/summary?groupBy=day', {
        headers: { accept: 'text/csv' },
      })
      expect(byAccept.text.split('\r\n')[0]).toBe(
        'day,events,inputTokens,outputTokens,cachedInputTokens,quantity',
      )
      const json = await acme.api.get<{ data: unknown[] }>('/api/v1/usage/summary?groupBy=day')
      expect(Array.isArray(json.body.data)).toBe(true)
    })

    it('refuses a turn at the company’s token cap with 429 QUOTA_EXCEEDED, billing nothing', async () => {
      const before = await acme.api.get<{ data: UsageEventWire[] }>('/api/v1/usage/events?limit=200')
      const used = before.body.data.reduce((sum, event) => sum + event.inputTokens + event.outputTokens, 0)
      const put = await acme.api.put<{ data: { id: string; limit: number } }>('/api/v1/quotas', {
        subject: { type: 'company' },
        metric: 'tokens',
        limit: used,
      })
      const quota = expectStatus(put, 200).body.data
      const refused = await acme.api.post<{ error: { code: string; message: string } }>(
        `/api/v1/agents/${agent.id}/chat`,
        { message: 'one more' },
      )
      expect([refused.status, refused.body.error.code]).toEqual([429, 'QUOTA_EXCEEDED'])
      expect(refused.body.error.message).toContain(`token quota of the company is used up: ${used} tokens`)
      const after = await acme.api.get<{ data: unknown[] }>('/api/v1/usage/events?limit=200')
      expect(after.body.data).toHaveLength(before.body.data.length)
      const listed = await acme.api.get<{ data: { id: string; used: number }[] }>('/api/v1/quotas')
      expect(listed.body.data).toEqual([expect.objectContaining({ id: quota.id, used })])
      expectStatus(await acme.api.delete(`/api/v1/quotas/${quota.id}`), 204)
      expect((await chat(acme, agent.id, { message: 'allowed again' })).outcome.type).toBe('replied')
    })

    it('bills an event that arrives after its month was finalized in the next month', async () => {
      const globex = await createCompany(new TestApi(platform.app), 'Globex late')
      const lastMonth = previousBillingPeriod(period())
      const scope = tenantScope(globex.companyId as CompanyId)
      const late = (at: string, inputTokens: number): NewUsageEvent =>
        makeUsageEvent(scope, { occurredAt: new Date(at), model: 'gpt-4o', inputTokens, outputTokens: 0 })
      const endOfLastMonth = new Date(Date.parse(monthStart(period())) - 1).toISOString()
      await platform.composition.stores.usage.append(scope, [
        late(`${lastMonth}-15T12:00:00.000Z`, 2_000_000),
      ])
      const draft = await globex.api.post<{ data: Invoice }>('/api/v1/invoices/draft', { period: lastMonth })
      const invoice = expectStatus(draft, 201).body.data
      // The default plan's example price: 2.50 USD per million input tokens.
      expect(invoice.total).toBe(500)
      const final = await globex.api.post<{ data: Invoice }>(`/api/v1/invoices/${invoice.id}/finalize`)
      expect(expectStatus(final, 200).body.data.status).toBe('final')
      await platform.composition.stores.usage.append(scope, [late(endOfLastMonth, 1_000_000)])
      const events = await globex.api.get<{ data: UsageEventWire[] }>(
        `/api/v1/usage/events?billingPeriod=${period()}`,
      )
      expect(events.body.data.map((event) => event.inputTokens)).toEqual([1_000_000])
      const redraft = await globex.api.post<{ error: { code: string } }>('/api/v1/invoices/draft', {
        period: lastMonth,
      })
      expect([redraft.status, redraft.body.error.code]).toEqual([409, 'CONFLICT'])
      const current = await globex.api.post<{ data: Invoice }>('/api/v1/invoices/draft', { period: period() })
      expect(expectStatus(current, 201).body.data).toMatchObject({ total: 250, eventCount: 1 })
      const check = await globex.api.get<{ data: { matches: boolean } }>(
        `/api/v1/invoices/${invoice.id}/verify`,
      )
      expect(check.body.data.matches).toBe(true)
    })

    it('runs the monthly job from the worker, once per period', async () => {
      const worker = startWorker(platform.composition)
      try {
        expect(worker.kinds).toContain(MONTHLY_BILLING_JOB)
        const { monthly } = platform.composition.agentry.billing
        const job = await monthly.enqueueFor(platform.composition.queue)
        expect(job.payload).toEqual({ period: previousBillingPeriod(period()) })
        const system = { type: 'system', reason: 'acceptance' } as const
        const done = await waitUntil(
          async () => {
            const current = await platform.composition.queue.get(system, job.id)
            return current?.status === 'completed' ? current : null
          },
          { timeoutMs: 20_000 },
        )
        expect(done.result).toMatchObject({ period: previousBillingPeriod(period()) })
        expect((await monthly.enqueueFor(platform.composition.queue)).id).toBe(job.id)
      } finally {
        await worker.stop()
      }
    })
  })
}
