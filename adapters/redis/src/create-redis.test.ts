import { once } from 'node:events'
import { createServer } from 'node:net'
import { type CompanyId, CoreError, tenantScope } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { createRedis } from './create-redis.js'

async function unusedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  if (address === null || typeof address === 'string') throw new Error('no TCP port')
  return address.port
}

describe('createRedis without a Redis to talk to', () => {
  it('fails every call with retryable UNAVAILABLE instead of hanging, and closes cleanly', async () => {
    const redis = createRedis({ url: `redis://127.0.0.1:${await unusedPort()}`, connectTimeoutMs: 500 })
    const scope = tenantScope('0190f3a2-7b1c-7d2e-8f30-1234567890ab' as CompanyId)
    const outcomes = await Promise.allSettled([
      redis.rateLimiter.consume(scope, 'api', { capacity: 1, refillPerSecond: 1 }),
      redis.lock.acquire(scope, 'session', { ttlMs: 1_000, waitMs: 0 }),
      redis.queue.enqueue({ kind: 'kb.index', companyId: scope.companyId, payload: {} }),
    ])
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected')
      const reason = (outcome as PromiseRejectedResult).reason
      expect(CoreError.hasCode(reason, 'UNAVAILABLE') && reason.isRetryable, String(reason)).toBe(true)
    }
    await redis.close()
    await redis.close()
  })

  it('rejects calls after close as not retryable', async () => {
    const redis = createRedis({ url: `redis://127.0.0.1:${await unusedPort()}`, connectTimeoutMs: 500 })
    await redis.close()
    const error = await redis.rateLimiter
      .consume(tenantScope('0190f3a2-7b1c-7d2e-8f30-1234567890ab' as CompanyId), 'k', {
        capacity: 1,
        refillPerSecond: 1,
      })
      .catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'UNAVAILABLE', isRetryable: false })
  })
})
