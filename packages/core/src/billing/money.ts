import { CoreError } from '@agentry/contracts'

/** Micro-units in one major unit of a currency (1 USD = 1,000,000 micro-USD). */
export const MICROS_PER_MAJOR = 1_000_000n

/**
 * `numerator / denominator` rounded to the nearest integer, ties to the even neighbour (banker's
 * rounding). Both are non-negative and the denominator is positive. Exact: BigInt, no floats.
 */
export function divideRoundHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (numerator < 0n || denominator <= 0n) throw new RangeError('divideRoundHalfEven takes n >= 0, d > 0')
  const quotient = numerator / denominator
  const twiceRemainder = (numerator % denominator) * 2n
  if (twiceRemainder > denominator) return quotient + 1n
  if (twiceRemainder < denominator) return quotient
  return quotient % 2n === 0n ? quotient : quotient + 1n
}

/** The smaller of two BigInts (`Math.min` takes numbers only). */
export function minBigInt(left: bigint, right: bigint): bigint {
  return left < right ? left : right
}

/** `numerator / denominator` rounded up; both non-negative, the denominator positive. */
export function divideCeil(numerator: bigint, denominator: bigint): bigint {
  if (numerator < 0n || denominator <= 0n) throw new RangeError('divideCeil takes n >= 0, d > 0')
  return (numerator + denominator - 1n) / denominator
}

/**
 * An integer amount as a JSON-safe number. Amounts past 2^53 - 1 cannot be represented exactly
 * in JSON numbers, so they fail loudly instead of being rounded.
 */
export function toSafeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new CoreError('INTERNAL', `${what} (${value}) is beyond 2^53 - 1 and cannot be stored exactly.`)
  }
  return Number(value)
}

/** A usage quantity or price as BigInt; refuses anything but a non-negative safe integer. */
export function toBigInt(value: number, what: string): bigint {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new CoreError('INTERNAL', `${what} must be a non-negative integer, got ${value}.`)
  }
  return BigInt(value)
}

/** Micro-units as a decimal amount of the major unit, e.g. `1.25 USD` or `0.000125 USD`. */
export function formatMicros(micros: bigint, currency: string): string {
  const whole = micros / MICROS_PER_MAJOR
  const fraction = (micros % MICROS_PER_MAJOR)
    .toString()
    .padStart(6, '0')
    .replace(/0{1,4}$/, '')
  return `${whole}.${fraction.padEnd(2, '0')}${currency ? ` ${currency}` : ''}`
}
