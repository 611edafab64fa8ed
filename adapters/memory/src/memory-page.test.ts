import { CoreError, type Page } from '@agentry/contracts'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { paginate } from './memory-page.js'

interface Row {
  readonly id: string
  readonly at: number
}

const rows: Row[] = Array.from({ length: 7 }, (_, index) => ({ id: `r${index}`, at: 1000 - index * 10 }))
const byAt = { key: (row: Row) => [row.at, row.id], direction: 'asc' as const }

describe('paginate', () => {
  it('walks every row exactly once, in order, for any page size', () => {
    for (let limit = 1; limit <= 8; limit += 1) {
      const seen: string[] = []
      let cursor: string | null = null
      do {
        const page: Page<Row> = paginate(rows, byAt, { limit, cursor })
        seen.push(...page.items.map((row) => row.id))
        cursor = page.nextCursor
      } while (cursor !== null)
      expect(seen).toEqual([...rows].reverse().map((row) => row.id))
    }
  })

  it('keeps a cursor valid when the row it points at is removed', () => {
    const first = paginate(rows, byAt, { limit: 3 })
    const remaining = rows.filter((row) => row.id !== first.items.at(-1)?.id)
    const next = paginate(remaining, byAt, { limit: 3, cursor: first.nextCursor })
    expect(next.items.map((row) => row.id)).toEqual(['r3', 'r2', 'r1'])
  })

  it('answers any string as a cursor with a page or INVALID_INPUT, never another error', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.base64String(),
          fc.json().map((json) => Buffer.from(json).toString('base64url')),
        ),
        (cursor) => {
          try {
            paginate(rows, byAt, { cursor })
          } catch (error) {
            expect(CoreError.hasCode(error, 'INVALID_INPUT')).toBe(true)
          }
        },
      ),
      { numRuns: 500 },
    )
  })

  it('refuses a cursor whose parts do not match the list’s key', () => {
    const wrongShape = Buffer.from(JSON.stringify(['r1', 10])).toString('base64url')
    expect(() => paginate(rows, byAt, { cursor: wrongShape })).toThrow(CoreError)
  })

  it('returns copies of the rows', () => {
    const source = [{ id: 'a', at: 1, tags: ['x'] }]
    const page = paginate(source, { key: (row) => [row.id], direction: 'asc' })
    page.items[0]?.tags.push('y')
    expect(source[0]?.tags).toEqual(['x'])
  })
})
