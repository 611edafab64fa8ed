import type { PriceBookId } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { DEFAULT_PLAN_ID, DEFAULT_PRICE_BOOK_ID } from '../../src/index.js'
import { createTestWorld, PLATFORM } from '../helpers.js'
import { billingTenant, perMillion, utc } from './billing-world.js'

const input = (planId: string, effectiveFrom = utc(12, 1)) => ({
  planId,
  effectiveFrom,
  currency: 'USD',
  baseFeeMicros: 10_000_000,
  prices: [
    perMillion('llm.input_tokens', '*', 1_000_000),
    { meter: 'tool.calls' as const, unitPriceMicros: 500 },
  ],
})

describe('PriceBookService', () => {
  it('numbers versions per plan, fills defaults, and lists newest first', async () => {
    const { agentry } = createTestWorld()
    const first = await agentry.billing.priceBooks.create(PLATFORM, input('pro'))
    const second = await agentry.billing.priceBooks.create(PLATFORM, input('pro', utc(12, 1)))
    const other = await agentry.billing.priceBooks.create(PLATFORM, input('team'))
    expect([first.version, second.version, other.version]).toEqual([1, 2, 1])
    expect(first.minorUnitsPerMajor).toBe(100)
    expect(first.prices[1]).toEqual({
      meter: 'tool.calls',
      modelPattern: '*',
      unitPriceMicros: 500,
      per: 1,
      includedQuantity: 0,
    })
    expect((await agentry.billing.priceBooks.list(PLATFORM, 'pro')).map((book) => book.version)).toEqual([
      2, 1,
    ])
    expect(await agentry.billing.priceBooks.get(PLATFORM, other.id)).toEqual(other)
    await expect(agentry.billing.priceBooks.get(PLATFORM, 'missing' as PriceBookId)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
  })

  it('names every problem of a new version: floats, unknown meters, globs, duplicates, dates', async () => {
    const { agentry } = createTestWorld()
    const error = await agentry.billing.priceBooks
      .create(PLATFORM, {
        planId: 'Bad Plan',
        effectiveFrom: utc(12, 15),
        currency: 'usd',
        prices: [
          { meter: 'llm.input_tokens', modelPattern: 'gpt 4', unitPriceMicros: 2.5 },
          { meter: 'coffee' as never, unitPriceMicros: 1 },
        ],
      })
      .catch((caught: { code: string; details: { issues: { path: string }[] } }) => caught)
    expect(error).toMatchObject({ code: 'INVALID_INPUT' })
    expect(
      (error as { details: { issues: { path: string }[] } }).details.issues.map((issue) => issue.path),
    ).toEqual(['planId', 'currency', 'prices.0.modelPattern', 'prices.0.unitPriceMicros', 'prices.1.meter'])
    const semantic = (body: object) =>
      agentry.billing.priceBooks
        .create(PLATFORM, { ...input('pro'), ...body })
        .catch(
          (caught: { details: { issues: { path: string; message: string }[] } }) => caught.details.issues,
        )
    expect(await semantic({ effectiveFrom: utc(12, 15) })).toEqual([
      { path: 'effectiveFrom', message: expect.stringContaining('start of a UTC month') },
    ])
    expect(await semantic({ effectiveFrom: utc(10, 1) })).toEqual([
      { path: 'effectiveFrom', message: expect.stringContaining('2026-11-01T00:00:00.000Z or later') },
    ])
    expect(
      await semantic({
        prices: [
          { meter: 'kb.queries', modelPattern: 'gpt*', unitPriceMicros: 1 },
          { meter: 'llm.output_tokens', modelPattern: 'x*', unitPriceMicros: 1 },
          { meter: 'llm.output_tokens', modelPattern: 'x*', unitPriceMicros: 2 },
        ],
      }),
    ).toEqual([
      { path: 'prices.0.modelPattern', message: 'kb.queries takes the pattern *' },
      { path: 'prices.2', message: 'llm.output_tokens for x* is listed twice' },
    ])
  })

  it('lets only the platform admin manage books; a company reads its own plan’s book in force', async () => {
    const tenant = await billingTenant()
    const { agentry } = tenant.world
    await expect(agentry.billing.priceBooks.create(tenant.context, input('pro'))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    await expect(agentry.billing.priceBooks.list(tenant.context)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const current = await agentry.billing.priceBooks.current(tenant.context)
    expect(current).toMatchObject({ id: DEFAULT_PRICE_BOOK_ID, planId: DEFAULT_PLAN_ID, baseFeeMicros: 0 })
    const book = await tenant.usePlan([perMillion('llm.input_tokens', '*', 7)])
    expect((await agentry.billing.priceBooks.current(tenant.context)).id).toBe(book.id)
    const key = await agentry.apiKeys.create(tenant.context, { name: 'chat', permissions: ['chat:send'] })
    const chat = { actor: await agentry.apiKeys.authenticate(key.key) }
    await expect(agentry.billing.priceBooks.current(chat)).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })

  it('seeds the default plan once, however often it is asked', async () => {
    const world = createTestWorld()
    const books = world.agentry.billing.priceBooks
    await Promise.all([books.ensureDefault(), books.ensureDefault(), books.list(PLATFORM)])
    const defaults = await books.list(PLATFORM, DEFAULT_PLAN_ID)
    expect(defaults.map((book) => [book.id, book.version])).toEqual([[DEFAULT_PRICE_BOOK_ID, 1]])
    expect(defaults[0]?.prices.every((price) => Number.isSafeInteger(price.unitPriceMicros))).toBe(true)
  })
})
