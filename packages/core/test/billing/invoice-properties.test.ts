import type { Meter, NewUsageEvent, Price, UsageKind } from '@agentry/contracts'
import { tenantScope } from '@agentry/contracts'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createTestWorld } from '../helpers.js'
import { billingTenant } from './billing-world.js'

/**
 * Property tests: the invoice the service drafts equals a recomputation written here, separately
 * from the implementation (its own price matching, allowance pools and rounding, all in BigInt).
 */

const MODELS = ['alpha', 'alpha-mini', 'beta', 'gamma-1'] as const
const PATTERNS = ['*', 'alpha*', 'alpha-mini', 'beta', 'gamma*', 'gamma-1'] as const
const METER_ORDER: readonly Meter[] = [
  'llm.input_tokens',
  'llm.output_tokens',
  'llm.cached_input_tokens',
  'tool.calls',
  'kb.queries',
  'embedding.tokens',
  'audio.seconds',
]
const WITH_MODEL = new Set<Meter>([
  'llm.input_tokens',
  'llm.output_tokens',
  'llm.cached_input_tokens',
  'embedding.tokens',
  'audio.seconds',
])
const NOVEMBER_START = Date.UTC(2026, 10, 1)
const NOW = Date.UTC(2026, 10, 25, 10)

const priceArbitrary = fc
  .record({
    meter: fc.constantFrom(...METER_ORDER),
    pattern: fc.constantFrom(...PATTERNS),
    // Prices of half a cent per unit make exact ties common, so the rounding rule is exercised.
    unitPriceMicros: fc.oneof(
      fc.integer({ min: 0, max: 50_000_000 }),
      fc.constantFrom(5000, 15_000, 2_500_000),
    ),
    per: fc.constantFrom(1, 2, 7, 1000, 1_000_000),
    includedQuantity: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5000 })),
  })
  .map(
    ({ meter, pattern, ...rest }): Price => ({
      meter,
      modelPattern: WITH_MODEL.has(meter) ? pattern : '*',
      ...rest,
    }),
  )

const bookArbitrary = fc.record({
  prices: fc.uniqueArray(priceArbitrary, {
    maxLength: 14,
    selector: (price) => `${price.meter} ${price.modelPattern}`,
  }),
  baseFeeMicros: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 99_000_000 })),
  minorUnitsPerMajor: fc.constantFrom(1 as const, 100 as const, 1000 as const),
})

type EventShape = Pick<
  NewUsageEvent,
  'kind' | 'model' | 'inputTokens' | 'outputTokens' | 'cachedInputTokens' | 'quantity' | 'occurredAt'
>

const eventArbitrary: fc.Arbitrary<EventShape> = fc
  .record({
    kind: fc.constantFrom<UsageKind>(
      'llm.tokens',
      'llm.tokens',
      'tool.call',
      'kb.query',
      'embedding.tokens',
      'audio.seconds',
    ),
    model: fc.constantFrom(...MODELS),
    tokens: fc.integer({ min: 0, max: 2_000_000 }),
    output: fc.integer({ min: 0, max: 300_000 }),
    cachedShare: fc.integer({ min: 0, max: 100 }),
    // Mostly November (billed now), some just outside it on either side.
    at: fc.oneof(
      fc.integer({ min: NOVEMBER_START, max: NOW }),
      fc.constantFrom(NOVEMBER_START - 1, Date.UTC(2026, 11, 1), NOVEMBER_START),
    ),
  })
  .map(({ kind, model, tokens, output, cachedShare, at }) => {
    const occurredAt = new Date(at)
    if (kind === 'llm.tokens') {
      const cached = (tokens * cachedShare - ((tokens * cachedShare) % 100)) / 100
      return {
        kind,
        model,
        inputTokens: tokens,
        outputTokens: output,
        cachedInputTokens: cached,
        quantity: 1,
        occurredAt,
      }
    }
    if (kind === 'tool.call' || kind === 'kb.query')
      return {
        kind,
        model: null,
        inputTokens: 0,
        outputTokens: 0,
        cachedInputTokens: 0,
        quantity: 1,
        occurredAt,
      }
    return {
      kind,
      model,
      inputTokens: 0,
      outputTokens: 0,
      cachedInputTokens: 0,
      quantity: tokens,
      occurredAt,
    }
  })

// ---- the independent recomputation --------------------------------------------------------------

function priceFor(prices: readonly Price[], meter: Meter, model: string | null): Price | undefined {
  const name = model ?? ''
  const candidates = prices.filter((price) => {
    if (price.meter !== meter) return false
    if (price.modelPattern === '*') return true
    if (price.modelPattern.endsWith('*')) return name.startsWith(price.modelPattern.slice(0, -1))
    return name === price.modelPattern
  })
  const rank = (pattern: string) => (pattern === '*' ? 0 : pattern.endsWith('*') ? pattern.length : 1000)
  return candidates.sort((left, right) => rank(right.modelPattern) - rank(left.modelPattern))[0]
}

function halfEven(numerator: bigint, denominator: bigint): bigint {
  const whole = numerator / denominator
  const twice = 2n * (numerator - whole * denominator)
  if (twice > denominator || (twice === denominator && whole % 2n === 1n)) return whole + 1n
  return whole
}

function monthOf(date: Date): string {
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`
}

type Line = [
  meter: string,
  model: string | null,
  quantity: number,
  included: number,
  billable: number,
  amount: number,
]

function recompute(
  book: { prices: readonly Price[]; baseFeeMicros: number; minorUnitsPerMajor: number },
  events: readonly EventShape[],
  period: string,
): { lines: Line[]; total: number } {
  const minor = BigInt(book.minorUnitsPerMajor)
  const sums = new Map<string, { meter: Meter; model: string | null; quantity: bigint }>()
  const add = (meter: Meter, model: string | null, quantity: number) => {
    if (quantity === 0) return
    const key = `${meter}/${model ?? '<none>'}`
    const entry = sums.get(key) ?? { meter, model, quantity: 0n }
    entry.quantity += BigInt(quantity)
    sums.set(key, entry)
  }
  for (const event of events.filter((candidate) => monthOf(candidate.occurredAt) === period)) {
    if (event.kind === 'llm.tokens') {
      if (priceFor(book.prices, 'llm.cached_input_tokens', event.model)) {
        add('llm.input_tokens', event.model, event.inputTokens - event.cachedInputTokens)
        add('llm.cached_input_tokens', event.model, event.cachedInputTokens)
      } else {
        add('llm.input_tokens', event.model, event.inputTokens)
      }
      add('llm.output_tokens', event.model, event.outputTokens)
    } else if (event.kind === 'tool.call') add('tool.calls', null, event.quantity)
    else if (event.kind === 'kb.query') add('kb.queries', null, event.quantity)
    else if (event.kind === 'embedding.tokens') add('embedding.tokens', event.model, event.quantity)
    else add('audio.seconds', event.model, event.quantity)
  }
  const ordered = [...sums.values()].sort(
    (left, right) =>
      METER_ORDER.indexOf(left.meter) - METER_ORDER.indexOf(right.meter) ||
      ((left.model ?? '') < (right.model ?? '') ? -1 : (left.model ?? '') > (right.model ?? '') ? 1 : 0),
  )
  const lines: Line[] = []
  let total = 0n
  if (book.baseFeeMicros > 0) {
    const fee = halfEven(BigInt(book.baseFeeMicros) * minor, 1_000_000n)
    lines.push(['base_fee', null, 1, 0, 1, Number(fee)])
    total += fee
  }
  const left = new Map<Price, bigint>()
  for (const { meter, model, quantity } of ordered) {
    const price = priceFor(book.prices, meter, model)
    if (!price) {
      lines.push([meter, model, Number(quantity), 0, 0, 0])
      continue
    }
    const milli = meter === 'audio.seconds' ? 1000n : 1n
    const pool = left.get(price) ?? BigInt(price.includedQuantity) * milli
    const included = pool < quantity ? pool : quantity
    left.set(price, pool - included)
    const billable = quantity - included
    const amount = halfEven(
      billable * BigInt(price.unitPriceMicros) * minor,
      BigInt(price.per) * milli * 1_000_000n,
    )
    total += amount
    lines.push([meter, model, Number(quantity), Number(included), Number(billable), Number(amount)])
  }
  return { lines, total: Number(total) }
}

// ---- properties -------------------------------------------------------------------------------

describe('invoice drafts (properties)', () => {
  it('equal an independent recomputation, are integers throughout, and redraft to the same digest', async () => {
    await fc.assert(
      fc.asyncProperty(bookArbitrary, fc.array(eventArbitrary, { maxLength: 40 }), async (book, events) => {
        const tenant = await billingTenant(createTestWorld())
        await tenant.usePlan(book.prices, { baseFeeMicros: book.baseFeeMicros })
        // usePlan takes USD cents; set the minor units through a second version for the other cases.
        if (book.minorUnitsPerMajor !== 100) {
          const { planId } = await tenant.world.agentry.billing.priceBooks.current(tenant.context)
          tenant.world.clock.advance(-(NOW - NOVEMBER_START))
          await tenant.world.agentry.billing.priceBooks.create(
            { actor: { type: 'platform-admin' } },
            {
              planId,
              effectiveFrom: new Date(NOVEMBER_START),
              currency: 'XTS',
              ...book,
              prices: [...book.prices],
            },
          )
          tenant.world.clock.advance(NOW - NOVEMBER_START)
        }
        await tenant.append(...events)
        const invoices = tenant.world.agentry.billing.invoices
        const { invoice } = await invoices.draft(tenant.context, '2026-11')
        const expected = recompute(book, events, '2026-11')
        expect(
          invoice.lines.map(
            (line): Line => [
              line.meter,
              line.model,
              line.quantity,
              line.includedQuantity,
              line.billableQuantity,
              line.amount,
            ],
          ),
        ).toEqual(expected.lines)
        expect(invoice.total).toBe(expected.total)
        expect(invoice.eventCount).toBe(
          events.filter((event) => monthOf(event.occurredAt) === '2026-11').length,
        )
        for (const value of [
          invoice.total,
          ...invoice.lines.flatMap((line) => [line.amount, line.quantity, line.unitPriceMicros]),
        ])
          expect(Number.isSafeInteger(value)).toBe(true)
        const again = await invoices.draft(tenant.context, '2026-11')
        expect(again.change).toBe('unchanged')
        expect(again.invoice).toEqual(invoice)
        expect(await invoices.verify(tenant.context, invoice.id)).toMatchObject({ matches: true })
      }),
      { numRuns: 60 },
    )
  })

  it('put the first and the last millisecond of a month in that month, and their neighbours outside', async () => {
    const world = createTestWorld()
    const tenant = await billingTenant(world)
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2000, max: 2040 }),
        fc.integer({ min: 0, max: 11 }),
        async (year, month) => {
          const first = Date.UTC(year, month, 1)
          const next = Date.UTC(year, month + 1, 1)
          const period = `${year}-${String(month + 1).padStart(2, '0')}`
          const [before, start, end, after] = await tenant.append(
            { occurredAt: new Date(first - 1) },
            { occurredAt: new Date(first) },
            { occurredAt: new Date(next - 1) },
            { occurredAt: new Date(next) },
          )
          const scope = tenantScope(tenant.companyId)
          const inPeriod = await world.stores.usage.list(scope, { billingPeriod: period }, { limit: 200 })
          const ids = new Set(inPeriod.items.map((event) => event.id))
          expect([before, start, end, after].map((event) => ids.has(event!.id))).toEqual([
            false,
            true,
            true,
            false,
          ])
        },
      ),
      { numRuns: 40 },
    )
  })
})
