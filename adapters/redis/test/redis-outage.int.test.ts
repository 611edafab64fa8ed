import { type CompanyId, CoreError, systemScope, tenantScope } from '@agentry/contracts'
import { expectCoreError, newId, sleep, waitUntil } from '@agentry/contracts/testing'
import { expect, it } from 'vitest'
import { createRedis } from '../src/create-redis.js'
import { freePort, startRedisServer } from './redis-server-process.js'
import { describeWithRedis, testPrefix } from './redis-test-env.js'

describeWithRedis('Redis outage: fail fast, recover on its own', () => {
  it('calls fail with retryable UNAVAILABLE while Redis is down, and work resumes when it returns', async () => {
    const port = await freePort()
    let server = await startRedisServer(port)
    const redis = createRedis({
      url: server.url,
      prefix: testPrefix('outage'),
      connectTimeoutMs: 1_000,
      commandTimeoutMs: 2_000,
    })
    const scope = tenantScope(newId<CompanyId>())
    const bucket = { capacity: 100, refillPerSecond: 1 }
    const kind = 'kb.index'
    const ran: string[] = []
    redis.queue.process(kind, async (context) => {
      ran.push(context.payload as string)
      return null
    })
    try {
      expect((await redis.rateLimiter.consume(scope, 'api', bucket)).allowed).toBe(true)
      const before = await redis.queue.enqueue({ kind, companyId: scope.companyId, payload: 'before' })
      await waitUntil(() => ran.includes('before'), { message: 'the job before the outage never ran' })

      await server.kill()

      const refused = await expectCoreError(redis.rateLimiter.consume(scope, 'api', bucket), 'UNAVAILABLE')
      expect(refused.isRetryable).toBe(true)
      await expectCoreError(
        redis.lock.acquire(scope, 'session-1', { ttlMs: 1_000, waitMs: 0 }),
        'UNAVAILABLE',
      )
      await expectCoreError(
        redis.lock.acquire(scope, 'session-1', { ttlMs: 1_000, waitMs: 5_000 }),
        'UNAVAILABLE',
      )
      await expectCoreError(redis.queue.enqueue({ kind, companyId: null, payload: 'lost' }), 'UNAVAILABLE')
      await expectCoreError(redis.queue.get(systemScope('test'), before.id), 'UNAVAILABLE')
      await expectCoreError(redis.queue.depth(kind), 'UNAVAILABLE')
      await sleep(500) // stays down a while: the clients keep reconnecting in the background

      server = await startRedisServer(port)

      await waitUntil(
        async () => {
          try {
            return (await redis.rateLimiter.consume(scope, 'api', bucket)).allowed
          } catch (error) {
            if (CoreError.hasCode(error, 'UNAVAILABLE')) return false
            throw error
          }
        },
        { timeoutMs: 20_000, message: 'the rate limiter never recovered' },
      )
      const lease = await redis.lock.acquire(scope, 'session-1', { ttlMs: 1_000, waitMs: 0 })
      await lease.release()
      await redis.queue.enqueue({ kind, companyId: scope.companyId, payload: 'after' })
      await waitUntil(() => ran.includes('after'), {
        timeoutMs: 20_000,
        message: 'the worker never picked up work after Redis returned',
      })
      expect(ran).not.toContain('lost')
    } finally {
      await redis.close()
      await server.kill()
    }
  })
})
