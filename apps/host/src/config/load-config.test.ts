import { CoreError } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { loadConfig } from './load-config.js'

describe('loadConfig', () => {
  it('defaults to the embedded platform with no environment at all', () => {
    const config = loadConfig({})
    expect(config.port).toBe(3000)
    expect(config.storage).toEqual({ kind: 'embedded', dataDir: '.agentry/data' })
    expect(config.redisUrl).toBeUndefined()
    expect(config.openai.apiKey).toBeUndefined()
  })

  it('switches to PostgreSQL when DATABASE_URL is set and treats empty values as unset', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://app@db:5432/agentry', OPENAI_API_KEY: '' })
    expect(config.storage).toEqual({ kind: 'postgres', url: 'postgres://app@db:5432/agentry' })
    expect(config.openai.apiKey).toBeUndefined()
  })

  it('reports every problem at once, naming each variable', () => {
    let caught: unknown
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        AGENTRY_ADMIN_TOKEN: 'short',
        AGENTRY_LOG_LEVEL: 'loud',
      })
    } catch (error) {
      caught = error
    }
    expect(CoreError.hasCode(caught, 'INVALID_INPUT')).toBe(true)
    const message = (caught as Error).message
    for (const name of ['PORT', 'DATABASE_URL', 'AGENTRY_ADMIN_TOKEN', 'AGENTRY_LOG_LEVEL'])
      expect(message).toContain(name)
    expect(message).toContain('4 problem(s)')
  })

  it('returns a frozen config', () => {
    const config = loadConfig({})
    expect(Object.isFrozen(config)).toBe(true)
    expect(Object.isFrozen(config.rateLimits)).toBe(true)
    expect(() => {
      ;(config as { port: number }).port = 1
    }).toThrow(TypeError)
  })
})
