import { readFileSync } from 'node:fs'
import { ERROR_CODES } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { ERROR_STATUS } from './error-status.js'

const docs = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8')
/** Table rows of docs/errors.md as trimmed cells: `[code, status, retryable, meaning]`. */
const rows = docs
  .split('\n')
  .filter((line) => line.startsWith('|'))
  .map((line) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim()),
  )

describe('error status table', () => {
  it('gives every code a 4xx or 5xx status', () => {
    for (const code of ERROR_CODES) {
      const status = ERROR_STATUS[code]
      expect(status, code).toBeGreaterThanOrEqual(400)
      expect(status, code).toBeLessThan(600)
    }
    expect(Object.keys(ERROR_STATUS).sort()).toEqual([...ERROR_CODES].sort())
  })

  it('has a line in docs/errors.md for every code, with the same status', () => {
    for (const code of ERROR_CODES) {
      const row = rows.find((cells) => cells[0] === `\`${code}\``)
      expect(row, `docs/errors.md has no row for ${code}`).toBeDefined()
      expect(row?.[1]).toBe(String(ERROR_STATUS[code]))
    }
  })
})
