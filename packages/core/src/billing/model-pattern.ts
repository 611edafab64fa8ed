import type { Meter, Price } from '@agentry/contracts'

/** What a model pattern may contain: model-id characters and the wildcards `*` and `?`. */
export const MODEL_PATTERN = /^[A-Za-z0-9._:/@*?-]{1,120}$/

const compiled = new Map<string, RegExp>()

function toRegExp(pattern: string): RegExp {
  let regexp = compiled.get(pattern)
  if (!regexp) {
    const body = [...pattern]
      .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
      .join('')
    regexp = new RegExp(`^${body}$`, 's')
    compiled.set(pattern, regexp)
  }
  return regexp
}

/** True when `model` (`''` for events without a model) matches the glob `pattern`. */
export function matchesModelPattern(pattern: string, model: string | null): boolean {
  return toRegExp(pattern).test(model ?? '')
}

/**
 * How specific a pattern is, for "most specific match wins": a pattern without wildcards beats any
 * glob; among globs, more literal characters win, then fewer `*`; the pattern text breaks ties.
 */
function compareSpecificity(left: string, right: string): number {
  const rank = (pattern: string) => {
    const stars = [...pattern].filter((char) => char === '*').length
    const wildcards = stars + [...pattern].filter((char) => char === '?').length
    return { isExact: wildcards === 0, literals: pattern.length - wildcards, stars }
  }
  const a = rank(left)
  const b = rank(right)
  if (a.isExact !== b.isExact) return a.isExact ? -1 : 1
  if (a.literals !== b.literals) return b.literals - a.literals
  if (a.stars !== b.stars) return a.stars - b.stars
  return left < right ? -1 : left > right ? 1 : 0
}

/** The price of `meter` for `model`: the most specific matching pattern, or null when none matches. */
export function findPrice(prices: readonly Price[], meter: Meter, model: string | null): Price | null {
  let best: Price | null = null
  for (const price of prices) {
    if (price.meter !== meter || !matchesModelPattern(price.modelPattern, model)) continue
    if (best === null || compareSpecificity(price.modelPattern, best.modelPattern) < 0) best = price
  }
  return best
}
