import { type CompanyId, tenantScope } from '@agentry/contracts'
import { expectCoreError, newId, waitUntil } from '@agentry/contracts/testing'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { SharedRedisClient } from '../src/redis-client.js'
import { RedisLock } from '../src/redis-lock.js'
import { RedisRateLimiter } from '../src/redis-rate-limiter.js'
import { connectionOptions, deleteKeys, describeWithRedis, REDIS_URL, testPrefix } from './redis-test-env.js'

const prefix = testPrefix('lock-limiter')

/** Two instances on two connections: what two API processes would hold. */
describeWithRedis('RedisLock and RedisRateLimiter across processes', () => {
  const connection = () => new SharedRedisClient(connectionOptions(), `${prefix}:test`)
  const locks = [
    new RedisLock({ connection: connection(), prefix }),
    new RedisLock({ connection: connection(), prefix }),
  ]
  const limiters = [
    new RedisRateLimiter({ connection: connection(), prefix }),
    new RedisRateLimiter({ connection: connection(), prefix }),
  ]
  let inspector: Redis

  beforeAll(() => {
    inspector = new Redis(REDIS_URL)
  })
  afterAll(async () => {
    await Promise.all([...locks, ...limiters].map((subject) => subject.close()))
    inspector.disconnect()
    await deleteKeys(prefix)
  })

  it('a session lock taken through one connection is refused through the other until released there', async () => {
    const scope = tenantScope(newId<CompanyId>())
    const lease = await locks[0]!.acquire(scope, 'session-1', { ttlMs: 10_000, waitMs: 0 })
    await expectCoreError(locks[1]!.acquire(scope, 'session-1', { ttlMs: 10_000, waitMs: 0 }), 'CONFLICT')
    await lease.release()
    const next = await locks[1]!.acquire(scope, 'session-1', { ttlMs: 10_000, waitMs: 0 })
    await next.release()
  })

  it('waiters from both connections are served in arrival order', async () => {
    const scope = tenantScope(newId<CompanyId>())
    const waitersKey = `${prefix}:lock-waiters:t:${scope.companyId}:session-2`
    const holder = await locks[0]!.acquire(scope, 'session-2', { ttlMs: 10_000, waitMs: 0 })
    const served: number[] = []
    const waiters: Promise<void>[] = []
    for (let index = 0; index < 4; index += 1) {
      const lock = locks[index % 2]!
      waiters.push(
        lock.acquire(scope, 'session-2', { ttlMs: 10_000, waitMs: 10_000 }).then(async (lease) => {
          served.push(index)
          await lease.release()
        }),
      )
      await waitUntil(async () => (await inspector.zcard(waitersKey)) === index + 1)
    }
    await holder.release()
    await Promise.all(waiters)
    expect(served).toEqual([0, 1, 2, 3])
  })

  it('a waiter that died in line does not block the lock for long', async () => {
    const scope = tenantScope(newId<CompanyId>())
    const name = `${scope.companyId}:session-3`
    await inspector.zadd(`${prefix}:lock-waiters:t:${name}`, 1, 'a-crashed-process')
    await inspector.hset(`${prefix}:lock-heartbeats:t:${name}`, 'a-crashed-process', 1)
    const lease = await locks[1]!.acquire(scope, 'session-3', { ttlMs: 10_000, waitMs: 0 })
    await lease.release()
  })

  it('concurrent callers on two connections never overdraw one bucket', async () => {
    const scope = tenantScope(newId<CompanyId>())
    const bucket = { capacity: 20, refillPerSecond: 0.001 }
    const decisions = await Promise.all(
      Array.from({ length: 60 }, (_, index) => limiters[index % 2]!.consume(scope, 'chat', bucket)),
    )
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(20)
  })

  it('a bucket key expires once it would be full again, and a refused call writes nothing', async () => {
    const scope = tenantScope(newId<CompanyId>())
    const key = `${prefix}:rl:t:${scope.companyId}:tools`
    const bucket = { capacity: 4, refillPerSecond: 2 }
    await limiters[0]!.consume(scope, 'tools', bucket, 4)
    const ttl = await inspector.pttl(key)
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(2_000 + 1_000)
    const stored = await inspector.hgetall(key)
    expect((await limiters[1]!.consume(scope, 'tools', bucket, 4)).allowed).toBe(false)
    expect(await inspector.hgetall(key)).toEqual(stored)
  })

  it('a bucket that never refills says so, and is forgotten after a day idle', async () => {
    const scope = tenantScope(newId<CompanyId>())
    const bucket = { capacity: 1, refillPerSecond: 0 }
    expect((await limiters[0]!.consume(scope, 'trial', bucket)).allowed).toBe(true)
    expect(await limiters[1]!.consume(scope, 'trial', bucket)).toEqual({
      allowed: false,
      remaining: 0,
      retryAfterMs: Number.MAX_SAFE_INTEGER,
    })
    const ttl = await inspector.pttl(`${prefix}:rl:t:${scope.companyId}:trial`)
    expect(ttl).toBeGreaterThan(23 * 3_600_000)
  })
})
