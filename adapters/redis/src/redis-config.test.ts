import { CoreError } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { parseRedisConfig } from './create-redis.js'

describe('parseRedisConfig', () => {
  it('fills in the documented defaults', () => {
    const config = parseRedisConfig({ url: 'redis://127.0.0.1:6379' })
    expect(config).toMatchObject({
      prefix: 'agentry',
      connectTimeoutMs: 2_000,
      commandTimeoutMs: 5_000,
      queue: {
        keepCompleted: { ageSeconds: 7 * 86_400, count: 10_000 },
        keepFailed: { ageSeconds: 30 * 86_400, count: 10_000 },
        lockDurationMs: 30_000,
        stalledIntervalMs: 30_000,
        maxStalledCount: 2,
        closeGraceMs: 10_000,
      },
    })
  })

  it('keeps given values, also nested ones next to defaults', () => {
    const config = parseRedisConfig({
      url: 'rediss://user:secret@redis.internal:6380/2',
      prefix: 'tenant-platform',
      queue: { keepCompleted: { count: 50 } },
    })
    expect(config.prefix).toBe('tenant-platform')
    expect(config.queue.keepCompleted).toEqual({ ageSeconds: 7 * 86_400, count: 50 })
  })

  it('reports every problem at once as INVALID_INPUT, naming the fields', () => {
    let caught: unknown
    try {
      parseRedisConfig({
        url: 'http://localhost',
        prefix: 'has space',
        queue: { lockDurationMs: -1 },
        extra: 1,
      } as never)
    } catch (error) {
      caught = error
    }
    expect(CoreError.hasCode(caught, 'INVALID_INPUT')).toBe(true)
    const issues = ((caught as CoreError).details?.issues ?? []) as { path: string }[]
    const paths = issues.map((issue) => issue.path)
    expect(paths).toEqual(expect.arrayContaining(['url', 'prefix', 'queue.lockDurationMs', '']))
    expect((caught as CoreError).message).toContain('url must be a redis:// or rediss:// URL')
  })
})
