import {
  CoreError,
  DEFAULT_PAGE_LIMIT,
  MAX_PAGE_LIMIT,
  type Page,
  type PageRequest,
} from '@agentry/contracts'
import { type RawBuilder, type SqlBool, sql } from 'kysely'

type KeyValue = string | number

/** A page request resolved: how many rows to return and the sort key of the last row seen. */
export interface Keyset {
  readonly limit: number
  readonly after: readonly KeyValue[] | null
}

/**
 * Reads `page`: the limit clamped to 1..200 (default 50) and the cursor decoded. A cursor is
 * base64url JSON of the sort key of the previous page's last row; anything else is `INVALID_INPUT`.
 */
export function readKeyset(page: PageRequest | undefined, arity: number): Keyset {
  const limit = Math.min(Math.max(Math.trunc(page?.limit ?? DEFAULT_PAGE_LIMIT), 1), MAX_PAGE_LIMIT)
  const cursor = page?.cursor
  if (cursor === undefined || cursor === null || cursor === '') return { limit, after: null }
  let decoded: unknown
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    decoded = undefined
  }
  const isKey =
    Array.isArray(decoded) &&
    decoded.length === arity &&
    decoded.every((value) => typeof value === 'string' || typeof value === 'number')
  if (!isKey) {
    throw new CoreError(
      'INVALID_INPUT',
      'The page cursor is not one this list returned: pass back nextCursor',
      {
        details: { cursor },
      },
    )
  }
  return { limit, after: decoded as KeyValue[] }
}

/** `(columns) > (after)` for ascending order, `<` for descending: rows strictly past the cursor. */
export function pastCursor(
  columns: readonly string[],
  order: 'asc' | 'desc',
  after: readonly KeyValue[],
): RawBuilder<SqlBool> {
  const left = sql.join(columns.map((column) => sql.ref(column)))
  const right = sql.join(after.map((value) => sql`${value}`))
  return sql<SqlBool>`(${left}) ${sql.raw(order === 'asc' ? '>' : '<')} (${right})`
}

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only says that another page exists.
 * `keyOf` gives the sort key of a row; dates are encoded as ISO text.
 */
export function toPage<R, T>(
  rows: readonly R[],
  limit: number,
  map: (row: R) => T,
  keyOf: (row: R) => readonly (KeyValue | Date)[],
): Page<T> {
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  const hasMore = rows.length > limit && last !== undefined
  const key = hasMore
    ? keyOf(last).map((value) => (value instanceof Date ? value.toISOString() : value))
    : null
  return {
    items: items.map(map),
    nextCursor: key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : null,
  }
}
