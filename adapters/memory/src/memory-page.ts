import {
  CoreError,
  DEFAULT_PAGE_LIMIT,
  MAX_PAGE_LIMIT,
  type Page,
  type PageRequest,
} from '@agentry/contracts'

type KeyPart = string | number

/** How a list is ordered: a sort key per row (compared part by part) and a direction. */
export interface Ordering<T> {
  readonly key: (row: T) => readonly KeyPart[]
  readonly direction: 'asc' | 'desc'
}

/**
 * Keyset pagination over rows held in memory: sorts by the ordering, starts after the cursor's
 * key and returns copies. The cursor is the last row's key as base64url JSON, so it stays valid
 * while rows are added or removed.
 */
export function paginate<T>(rows: Iterable<T>, ordering: Ordering<T>, page: PageRequest = {}): Page<T> {
  const limit = pageLimit(page.limit)
  const sign = ordering.direction === 'asc' ? 1 : -1
  const keyed = [...rows].map((row) => ({ row, key: ordering.key(row) }))
  const after = page.cursor ? decodeCursor(page.cursor, keyed[0]?.key) : null
  const remaining = after === null ? keyed : keyed.filter((entry) => sign * compareKeys(entry.key, after) > 0)
  remaining.sort((left, right) => sign * compareKeys(left.key, right.key))
  const items = remaining.slice(0, limit)
  const last = items.at(-1)
  return {
    items: items.map((entry) => structuredClone(entry.row)),
    nextCursor: remaining.length > limit && last ? encodeCursor(last.key) : null,
  }
}

/** The page size asked for, defaulted and capped; INVALID_INPUT for a non-positive or fractional one. */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_LIMIT
  if (!(Number.isInteger(limit) && limit >= 1)) {
    throw new CoreError(
      'INVALID_INPUT',
      `Page limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}, got ${limit}`,
    )
  }
  return Math.min(limit, MAX_PAGE_LIMIT)
}

export function compareKeys(left: readonly KeyPart[], right: readonly KeyPart[]): number {
  for (let index = 0; index < left.length; index += 1) {
    const a = left[index] as KeyPart
    const b = right[index] as KeyPart
    if (a < b) return -1
    if (a > b) return 1
  }
  return 0
}

function encodeCursor(key: readonly KeyPart[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url')
}

/** Decodes a cursor; `shape` (any row's key, when there is a row) must match its parts' types. */
function decodeCursor(cursor: string, shape: readonly KeyPart[] | undefined): readonly KeyPart[] {
  let key: unknown
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    key = undefined
  }
  const isKey =
    Array.isArray(key) &&
    key.length > 0 &&
    key.every((part) => typeof part === 'string' || (typeof part === 'number' && Number.isFinite(part))) &&
    (shape === undefined ||
      (key.length === shape.length && key.every((part, index) => typeof part === typeof shape[index])))
  if (!isKey) {
    throw new CoreError(
      'INVALID_INPUT',
      'The page cursor is not one this list returned: pass back nextCursor unchanged, or start again without a cursor',
    )
  }
  return key as KeyPart[]
}
