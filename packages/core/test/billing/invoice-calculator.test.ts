import type { Price, PriceBook, PriceBookId, UsageSummaryRow } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import {
  calculateInvoice,
  divideCeil,
  divideRoundHalfEven,
  findPrice,
  formatMicros,
  listPriceMicros,
  meterQuantities,
} from '../../src/index.js'

const price = (
  meter: Price['meter'],
  modelPattern: string,
  unitPriceMicros: number,
  per = 1,
  includedQuantity = 0,
): Price => ({
  meter,
  modelPattern,
  unitPriceMicros,
  per,
  includedQuantity,
})

function book(prices: readonly Price[], overrides: Partial<PriceBook> = {}): PriceBook {
  return {
    id: '00000000-0000-7000-8000-000000000001' as PriceBookId,
    planId: 'test',
    version: 3,
    effectiveFrom: new Date(Date.UTC(2026, 0, 1)),
    currency: 'USD',
    minorUnitsPerMajor: 100,
    baseFeeMicros: 0,
    prices,
    createdAt: new Date(Date.UTC(2026, 0, 1)),
    ...overrides,
  }
}

const llm = (
  model: string,
  inputTokens: number,
  outputTokens: number,
  cachedInputTokens = 0,
): UsageSummaryRow => ({
  kind: 'llm.tokens',
  model,
  events: 1,
  inputTokens,
  outputTokens,
  cachedInputTokens,
  quantity: 1,
})

describe('money arithmetic', () => {
  it('rounds half to even and only at exact halves', () => {
    expect([5n, 15n, 25n, 35n].map((value) => divideRoundHalfEven(value, 10n))).toEqual([0n, 2n, 2n, 4n])
    expect(divideRoundHalfEven(26n, 10n)).toBe(3n)
    expect(divideRoundHalfEven(24n, 10n)).toBe(2n)
    expect(divideRoundHalfEven(0n, 7n)).toBe(0n)
    expect(divideRoundHalfEven(10n ** 30n + 5n, 10n)).toBe(10n ** 29n)
    expect(divideCeil(1n, 1_000_000n)).toBe(1n)
    expect(divideCeil(2_000_000n, 1_000_000n)).toBe(2n)
    expect(() => divideRoundHalfEven(-1n, 2n)).toThrow(RangeError)
  })

  it('formats micro-units as decimal amounts without floats', () => {
    expect(formatMicros(1_250_000n, 'USD')).toBe('1.25 USD')
    expect(formatMicros(125n, 'USD')).toBe('0.000125 USD')
    expect(formatMicros(5_000_000n, 'EUR')).toBe('5.00 EUR')
    expect(formatMicros(10n ** 20n, '')).toBe('100000000000000.00')
  })
})

describe('price matching', () => {
  const prices = [
    price('llm.input_tokens', '*', 1),
    price('llm.input_tokens', 'gpt-4o*', 2),
    price('llm.input_tokens', 'gpt-4o-mini*', 3),
    price('llm.input_tokens', 'gpt-4o-mini', 4),
    price('llm.input_tokens', 'gpt-?o', 5),
  ]
  it('takes the most specific pattern: exact, then more literal characters', () => {
    expect(findPrice(prices, 'llm.input_tokens', 'gpt-4o-mini')?.unitPriceMicros).toBe(4)
    expect(findPrice(prices, 'llm.input_tokens', 'gpt-4o-mini-2024')?.unitPriceMicros).toBe(3)
    expect(findPrice(prices, 'llm.input_tokens', 'gpt-4o-2024')?.unitPriceMicros).toBe(2)
    expect(findPrice(prices, 'llm.input_tokens', 'gpt-4o')?.unitPriceMicros).toBe(2)
    expect(findPrice(prices, 'llm.input_tokens', 'gpt-5o')?.unitPriceMicros).toBe(5)
    expect(findPrice(prices, 'llm.input_tokens', 'claude')?.unitPriceMicros).toBe(1)
    expect(findPrice(prices, 'llm.output_tokens', 'claude')).toBeNull()
  })

  it('treats pattern characters literally except * and ?', () => {
    const dotted = [price('llm.input_tokens', 'a.b', 1)]
    expect(findPrice(dotted, 'llm.input_tokens', 'a.b')).not.toBeNull()
    expect(findPrice(dotted, 'llm.input_tokens', 'axb')).toBeNull()
  })
})

describe('calculateInvoice', () => {
  it('prices each meter and model, rounding each line half to even in minor units', () => {
    const invoice = calculateInvoice(
      book([
        price('llm.input_tokens', '*', 2_500_000, 1_000_000),
        price('llm.output_tokens', '*', 10_000_000, 1_000_000),
        price('tool.calls', '*', 1000),
      ]),
      [
        llm('gpt-4o', 1_000_000, 2_000),
        llm('claude', 4_000, 0),
        {
          kind: 'tool.call',
          model: null,
          events: 25,
          inputTokens: 0,
          outputTokens: 0,
          cachedInputTokens: 0,
          quantity: 25,
        },
      ],
    )
    // 1,000,000 x 2.5 USD/M = 250 cents; 4,000 x 2.5/M = 1 cent; 2,000 x 10/M = 2 cents; 25 x 0.1 cent = 2.5 -> 2.
    expect(invoice.lines.map((line) => [line.meter, line.model, line.quantity, line.amount])).toEqual([
      ['llm.input_tokens', 'claude', 4000, 1],
      ['llm.input_tokens', 'gpt-4o', 1_000_000, 250],
      ['llm.output_tokens', 'gpt-4o', 2000, 2],
      ['tool.calls', null, 25, 2],
    ])
    expect(invoice.total).toBe(255)
  })

  it('adds the base fee line first and counts an allowance as one pool per price, in line order', () => {
    const invoice = calculateInvoice(
      book([price('llm.input_tokens', 'gpt*', 1_000_000, 1000, 1500)], { baseFeeMicros: 19_990_000 }),
      [llm('gpt-b', 1000, 0), llm('gpt-a', 1000, 0)],
    )
    expect(
      invoice.lines.map((line) => [
        line.meter,
        line.model,
        line.includedQuantity,
        line.billableQuantity,
        line.amount,
      ]),
    ).toEqual([
      ['base_fee', null, 0, 1, 1999],
      ['llm.input_tokens', 'gpt-a', 1000, 0, 0],
      ['llm.input_tokens', 'gpt-b', 500, 500, 50],
    ])
    expect(invoice.total).toBe(2049)
  })

  it('bills cached input tokens at their own price, or as input when the book has none for the model', () => {
    const prices = [
      price('llm.input_tokens', '*', 100),
      price('llm.cached_input_tokens', 'cached-*', 10),
      price('llm.output_tokens', '*', 0),
    ]
    const quantities = meterQuantities(book(prices), [
      llm('cached-model', 1000, 5, 600),
      llm('plain', 1000, 5, 600),
    ])
    expect(quantities.map(({ meter, model, quantity }) => [meter, model, quantity])).toEqual([
      ['llm.input_tokens', 'cached-model', 400n],
      ['llm.input_tokens', 'plain', 1000n],
      ['llm.output_tokens', 'cached-model', 5n],
      ['llm.output_tokens', 'plain', 5n],
      ['llm.cached_input_tokens', 'cached-model', 600n],
    ])
  })

  it('counts audio in milliseconds against per-second prices and allowances', () => {
    const invoice = calculateInvoice(book([price('audio.seconds', '*', 150, 1, 10)]), [
      {
        kind: 'audio.seconds',
        model: 'whisper',
        events: 3,
        inputTokens: 0,
        outputTokens: 0,
        cachedInputTokens: 0,
        quantity: 70_500,
      },
    ])
    // 70.5 s, 10 s included: 60.5 s x 150 micro = 9,075 micro = 0.9075 cents -> 1 cent.
    expect(invoice.lines).toEqual([
      expect.objectContaining({
        quantity: 70_500,
        includedQuantity: 10_000,
        billableQuantity: 60_500,
        per: 1000,
        amount: 1,
      }),
    ])
  })

  it('shows usage the book has no price for as a zero line instead of dropping it', () => {
    const invoice = calculateInvoice(book([]), [llm('mystery', 10, 0)])
    expect(invoice.lines).toEqual([
      expect.objectContaining({ meter: 'llm.input_tokens', model: 'mystery', quantity: 10, amount: 0 }),
    ])
    expect(invoice.lines[0]?.description).toContain('no price')
  })

  it('rounds in currencies with other minor units and keeps large totals exact', () => {
    const yen = calculateInvoice(
      book([price('kb.queries', '*', 1_500_000)], { currency: 'JPY', minorUnitsPerMajor: 1 }),
      [
        {
          kind: 'kb.query',
          model: null,
          events: 3,
          inputTokens: 0,
          outputTokens: 0,
          cachedInputTokens: 0,
          quantity: 3,
        },
      ],
    )
    expect(yen.total).toBe(4) // 4.5 yen -> 4 (half to even)
    const big = calculateInvoice(book([price('llm.output_tokens', '*', 9_007_199, 1)]), [
      llm('m', 0, 1_000_000_000),
    ])
    expect(big.total).toBe(900_719_900_000)
    expect(Number.isSafeInteger(big.total)).toBe(true)
  })

  it('prices spend at list price, rounding each meter up to a micro-unit', () => {
    const listed = book([
      price('llm.input_tokens', '*', 3, 1_000_000, 1_000_000),
      price('llm.output_tokens', '*', 7, 2),
    ])
    expect(listPriceMicros(listed, meterQuantities(listed, [llm('m', 10, 3)]))).toBe(1n + 11n)
  })
})
