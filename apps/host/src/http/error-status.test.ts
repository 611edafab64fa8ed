import { readFileSync } from 'node:fs'
import { ERROR_CODES } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { ERROR_STATUS } from './error-status.js'

const docs = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8')

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
      const line = docs.split('\n').find((row) => row.startsWith(`| \`${code}\` |`))
      expect(line, `docs/errors.md has no row for ${code}`).toBeDefined()
      expect(line).toContain(`| ${ERROR_STATUS[code]} |`)
    }
  })
})
