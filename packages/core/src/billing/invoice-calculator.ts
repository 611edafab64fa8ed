import type { InvoiceLine, Meter, Price, PriceBook, UsageSummaryRow } from '@agentry/contracts'
import { METERS } from '@agentry/contracts'
import { findPrice } from './model-pattern.js'
import {
  divideCeil,
  divideRoundHalfEven,
  MICROS_PER_MAJOR,
  minBigInt,
  toBigInt,
  toSafeNumber,
} from './money.js'

/** Usage of one meter for one model (null for meters without a model), in the meter's counting unit. */
export interface MeterQuantity {
  readonly meter: Meter
  readonly model: string | null
  readonly quantity: bigint
}

/**
 * Units an event counts per unit a price is quoted in: audio events count milliseconds while
 * `audio.seconds` prices are per second, so audio lines count milliseconds with `per` and the
 * included quantity scaled by 1,000. Every other meter counts what it is priced in.
 */
export const METER_UNIT_SCALE: Readonly<Record<Meter, bigint>> = {
  'llm.input_tokens': 1n,
  'llm.output_tokens': 1n,
  'llm.cached_input_tokens': 1n,
  'tool.calls': 1n,
  'kb.queries': 1n,
  'embedding.tokens': 1n,
  'audio.seconds': 1000n,
}

const METER_LABEL: Readonly<Record<Meter, string>> = {
  'llm.input_tokens': 'Input tokens',
  'llm.output_tokens': 'Output tokens',
  'llm.cached_input_tokens': 'Cached input tokens',
  'tool.calls': 'Tool calls',
  'kb.queries': 'Knowledge queries',
  'embedding.tokens': 'Embedding tokens',
  'audio.seconds': 'Audio (milliseconds)',
}

/**
 * Turns period sums (per kind and model) into meter quantities, sorted by meter (METERS order)
 * then model (no model first). Model input tokens are split: cached ones go to
 * `llm.cached_input_tokens` when the book prices them for that model, otherwise they stay input.
 */
export function meterQuantities(book: PriceBook, groups: readonly UsageSummaryRow[]): MeterQuantity[] {
  const sums = new Map<string, { meter: Meter; model: string | null; quantity: bigint }>()
  const add = (meter: Meter, model: string | null, quantity: bigint) => {
    if (quantity === 0n) return
    const key = `${meter}\u0000${model ?? ''}\u0000${model === null ? 0 : 1}`
    const sum = sums.get(key)
    if (sum) sum.quantity += quantity
    else sums.set(key, { meter, model, quantity })
  }
  for (const group of groups) {
    const model = group.model ?? null
    const input = toBigInt(group.inputTokens, 'inputTokens')
    const output = toBigInt(group.outputTokens, 'outputTokens')
    const cached = toBigInt(group.cachedInputTokens, 'cachedInputTokens')
    const quantity = toBigInt(group.quantity, 'quantity')
    switch (group.kind) {
      case 'llm.tokens': {
        const cachedPart = minBigInt(cached, input)
        const isCachedPriced = findPrice(book.prices, 'llm.cached_input_tokens', model) !== null
        add('llm.input_tokens', model, isCachedPriced ? input - cachedPart : input)
        if (isCachedPriced) add('llm.cached_input_tokens', model, cachedPart)
        add('llm.output_tokens', model, output)
        break
      }
      case 'tool.call':
        add('tool.calls', null, quantity)
        break
      case 'kb.query':
        add('kb.queries', null, quantity)
        break
      case 'embedding.tokens':
        add('embedding.tokens', model, quantity)
        break
      case 'audio.seconds':
        add('audio.seconds', model, quantity)
        break
    }
  }
  return [...sums.values()].sort(
    (left, right) =>
      METERS.indexOf(left.meter) - METERS.indexOf(right.meter) || compareModels(left.model, right.model),
  )
}

function compareModels(left: string | null, right: string | null): number {
  if (left === right) return 0
  if (left === null) return -1
  if (right === null) return 1
  return left < right ? -1 : 1
}

export interface InvoiceCalculation {
  readonly lines: readonly InvoiceLine[]
  /** Sum of the line amounts, in minor units. */
  readonly total: number
}

/**
 * The invoice lines of a period (docs/billing.md): the base fee, then one line per meter and
 * model. Each price's included quantity is one monthly pool, used up by its lines in line order.
 * Per line: amount = billable x unitPriceMicros x minorUnitsPerMajor / (per x 1,000,000) in minor
 * units, rounded half to even. All arithmetic is BigInt.
 */
export function calculateInvoice(book: PriceBook, groups: readonly UsageSummaryRow[]): InvoiceCalculation {
  const minorPerMajor = toBigInt(book.minorUnitsPerMajor, 'minorUnitsPerMajor')
  const lines: InvoiceLine[] = []
  let total = 0n
  const baseFee = toBigInt(book.baseFeeMicros, 'baseFeeMicros')
  if (baseFee > 0n) {
    const amount = divideRoundHalfEven(baseFee * minorPerMajor, MICROS_PER_MAJOR)
    total += amount
    lines.push({
      meter: 'base_fee',
      model: null,
      description: `Base fee, plan ${book.planId}`,
      quantity: 1,
      includedQuantity: 0,
      billableQuantity: 1,
      unitPriceMicros: book.baseFeeMicros,
      per: 1,
      amount: toSafeNumber(amount, 'The base fee'),
    })
  }
  const pools = new Map<Price, bigint>()
  for (const { meter, model, quantity } of meterQuantities(book, groups)) {
    const price = findPrice(book.prices, meter, model)
    const scale = METER_UNIT_SCALE[meter]
    const label = model === null ? METER_LABEL[meter] : `${METER_LABEL[meter]}, ${model}`
    if (!price) {
      lines.push({
        meter,
        model,
        description: `${label}: no price in plan ${book.planId} v${book.version}, not charged`,
        quantity: toSafeNumber(quantity, label),
        includedQuantity: 0,
        billableQuantity: 0,
        unitPriceMicros: 0,
        per: 1,
        amount: 0,
      })
      continue
    }
    const remaining = pools.get(price) ?? toBigInt(price.includedQuantity, 'includedQuantity') * scale
    const included = minBigInt(quantity, remaining)
    pools.set(price, remaining - included)
    const billable = quantity - included
    const per = toBigInt(price.per, 'per') * scale
    const unitPrice = toBigInt(price.unitPriceMicros, 'unitPriceMicros')
    const amount = divideRoundHalfEven(billable * unitPrice * minorPerMajor, per * MICROS_PER_MAJOR)
    total += amount
    lines.push({
      meter,
      model,
      description: label,
      quantity: toSafeNumber(quantity, label),
      includedQuantity: toSafeNumber(included, label),
      billableQuantity: toSafeNumber(billable, label),
      unitPriceMicros: price.unitPriceMicros,
      per: toSafeNumber(per, label),
      amount: toSafeNumber(amount, label),
    })
  }
  return { lines, total: toSafeNumber(total, 'The invoice total') }
}

/**
 * Usage at list price in micro-units (no allowance, no base fee), each meter and model rounded
 * up to a whole micro-unit: what spend quotas count. Unpriced usage counts nothing.
 */
export function listPriceMicros(book: PriceBook, quantities: readonly MeterQuantity[]): bigint {
  let micros = 0n
  for (const { meter, model, quantity } of quantities) {
    const price = findPrice(book.prices, meter, model)
    if (!price) continue
    const per = toBigInt(price.per, 'per') * METER_UNIT_SCALE[meter]
    micros += divideCeil(quantity * toBigInt(price.unitPriceMicros, 'unitPriceMicros'), per)
  }
  return micros
}
