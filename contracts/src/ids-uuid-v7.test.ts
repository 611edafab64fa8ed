import { describe, expect, it } from 'vitest'
import { isUuid } from './ids.js'
import { createUuidV7Generator } from './ids-uuid-v7.js'

describe('createUuidV7Generator', () => {
  it('makes version 7, variant 10 UUIDs', () => {
    const id = createUuidV7Generator().next()
    expect(isUuid(id)).toBe(true)
    expect(id[14]).toBe('7')
    expect(['8', '9', 'a', 'b']).toContain(id[19])
  })

  it('strictly increases within one millisecond and when the clock steps back', () => {
    let now = 1_700_000_000_000
    const generator = createUuidV7Generator({ now: () => new Date(now) })
    const ids: string[] = []
    for (let index = 0; index < 5000; index += 1) {
      if (index === 2500) now -= 10_000
      ids.push(generator.next())
    }
    const sorted = [...ids].sort()
    expect(sorted).toEqual(ids)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('encodes the time in the first 48 bits', () => {
    const at = Date.UTC(2026, 10, 25, 12, 0, 0)
    const id = createUuidV7Generator({ now: () => new Date(at) }).next()
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at)
  })
})
