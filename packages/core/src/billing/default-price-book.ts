import type { Price, PriceBook, PriceBookId } from '@agentry/contracts'

/** The plan every new company is on unless the platform admin picks another. */
export const DEFAULT_PLAN_ID = 'default'

/** Version 1 of the default plan has this fixed id, so every replica seeds the same row. */
export const DEFAULT_PRICE_BOOK_ID = '00000000-0000-7000-8000-00000000b111' as PriceBookId

const PER_MILLION = 1_000_000

const tokens = (meter: Price['meter'], modelPattern: string, microDollarsPerMillion: number): Price => ({
  meter,
  modelPattern,
  unitPriceMicros: microDollarsPerMillion,
  per: PER_MILLION,
  includedQuantity: 0,
})

/**
 * EXAMPLE prices for the shipped `default` plan (USD, pay as you go, no base fee; token prices in
 * micro-dollars per million tokens, so 2_500_000 is $2.50 per million), in the range
 * of public list prices in 2026. They are examples to start from, not a recommendation: platform
 * operators create their own versions through the API (docs/billing.md).
 */
export const DEFAULT_PRICES: readonly Price[] = [
  tokens('llm.input_tokens', '*', 2_500_000),
  tokens('llm.cached_input_tokens', '*', 1_250_000),
  tokens('llm.output_tokens', '*', 10_000_000),
  tokens('llm.input_tokens', 'gpt-4o-mini*', 150_000),
  tokens('llm.cached_input_tokens', 'gpt-4o-mini*', 75_000),
  tokens('llm.output_tokens', 'gpt-4o-mini*', 600_000),
  tokens('llm.input_tokens', 'claude-*haiku*', 800_000),
  tokens('llm.cached_input_tokens', 'claude-*haiku*', 80_000),
  tokens('llm.output_tokens', 'claude-*haiku*', 4_000_000),
  // The offline scripted model costs nothing to run.
  tokens('llm.input_tokens', 'scripted', 0),
  tokens('llm.output_tokens', 'scripted', 0),
  tokens('embedding.tokens', '*', 20_000),
  { meter: 'tool.calls', modelPattern: '*', unitPriceMicros: 1000, per: 1, includedQuantity: 1000 },
  { meter: 'kb.queries', modelPattern: '*', unitPriceMicros: 500, per: 1, includedQuantity: 1000 },
  { meter: 'audio.seconds', modelPattern: '*', unitPriceMicros: 100, per: 1, includedQuantity: 0 },
]

/** The default plan's first version, in force since 2000 so every period has a book. */
export function defaultPriceBook(createdAt: Date): PriceBook {
  return {
    id: DEFAULT_PRICE_BOOK_ID,
    planId: DEFAULT_PLAN_ID,
    version: 1,
    effectiveFrom: new Date(Date.UTC(2000, 0, 1)),
    currency: 'USD',
    minorUnitsPerMajor: 100,
    baseFeeMicros: 0,
    prices: DEFAULT_PRICES,
    createdAt,
  }
}
