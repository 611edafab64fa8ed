import { afterAll, beforeAll, describe, expect } from 'vitest'
import type { CompanyId } from '../ids.js'
import type { RateLimiter, TokenBucket } from '../ports/rate-limiter.js'
import { systemScope, tenantScope } from '../scope.js'
import { expectCoreError } from './expect-core-error.js'
import { newId } from './fixtures.js'
import type { KitOptions } from './kit-options.js'
import { kitTest } from './kit-test.js'
import { sleep, waitUntil } from './wait-until.js'

/**
 * The `RateLimiter` contract. `create` is called once for the kit; every test uses fresh keys and
 * companies, so a limiter on a shared server (Redis) can run it. Buckets that must not refill
 * during a test refill one token per 1000 s; refill itself is observed by polling.
 */
export function describeRateLimiter(options: KitOptions<RateLimiter>): void {
  const test = (title: string, fn: () => Promise<void>) => kitTest(options.skip, title, fn)
  let limiter: RateLimiter
  const tenant = () => tenantScope(newId<CompanyId>())
  const key = () => `kit-rate-${newId()}`
  const still = (capacity: number): TokenBucket => ({ capacity, refillPerSecond: 0.001 })

  describe(`RateLimiter conformance: ${options.name}`, () => {
    beforeAll(async () => {
      limiter = await options.create()
    })
    afterAll(async () => {
      if (options.cleanup) await options.cleanup(limiter)
      else await limiter.close()
    })

    test('a fresh bucket is full: allows capacity calls, then refuses', async () => {
      const scope = tenant()
      const name = key()
      const decisions = []
      for (let call = 0; call < 4; call += 1) decisions.push(await limiter.consume(scope, name, still(3)))
      expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, false])
      expect(decisions.map((decision) => decision.remaining)).toEqual([2, 1, 0, 0])
      expect(decisions[0]?.retryAfterMs).toBe(0)
      expect(decisions[3]?.retryAfterMs).toBeGreaterThan(0)
    })

    test('cost takes that many tokens, and a refused call takes nothing', async () => {
      const scope = tenant()
      const name = key()
      expect(await limiter.consume(scope, name, still(5), 3)).toMatchObject({ allowed: true, remaining: 2 })
      expect(await limiter.consume(scope, name, still(5), 3)).toMatchObject({ allowed: false, remaining: 2 })
      expect(await limiter.consume(scope, name, still(5), 2)).toMatchObject({ allowed: true, remaining: 0 })
    })

    test('retryAfterMs says how long until cost tokens are back', async () => {
      const scope = tenant()
      const name = key()
      const bucket = { capacity: 2, refillPerSecond: 1 }
      await limiter.consume(scope, name, bucket, 2)
      const refused = await limiter.consume(scope, name, bucket, 2)
      expect(refused.allowed).toBe(false)
      expect(refused.retryAfterMs).toBeGreaterThan(1000)
      expect(refused.retryAfterMs).toBeLessThanOrEqual(2000)
    })

    test('refills over time', async () => {
      const scope = tenant()
      const name = key()
      const bucket = { capacity: 1, refillPerSecond: 20 }
      expect((await limiter.consume(scope, name, bucket)).allowed).toBe(true)
      await waitUntil(async () => (await limiter.consume(scope, name, bucket)).allowed, {
        message: 'the bucket never refilled',
      })
    })

    test('never holds more than capacity, however long it idles', async () => {
      const scope = tenant()
      const name = key()
      const bucket = { capacity: 2, refillPerSecond: 1000 }
      expect(await limiter.consume(scope, name, bucket)).toMatchObject({ allowed: true, remaining: 1 })
      await sleep(50)
      expect(await limiter.consume(scope, name, bucket, 2)).toMatchObject({ allowed: true, remaining: 0 })
      await sleep(50)
      expect(await limiter.consume(scope, name, bucket)).toMatchObject({ allowed: true, remaining: 1 })
    })

    test('concurrent callers never overdraw a bucket', async () => {
      const scope = tenant()
      const name = key()
      const decisions = await Promise.all(
        Array.from({ length: 25 }, () => limiter.consume(scope, name, still(10))),
      )
      expect(decisions.filter((decision) => decision.allowed)).toHaveLength(10)
    })

    test('a cost above capacity is INVALID_INPUT', async () => {
      await expectCoreError(limiter.consume(tenant(), key(), still(3), 4), 'INVALID_INPUT')
    })

    test('the same key in two companies and the platform names three buckets', async () => {
      const name = key()
      const first = tenant()
      expect((await limiter.consume(first, name, still(1))).allowed).toBe(true)
      expect((await limiter.consume(first, name, still(1))).allowed).toBe(false)
      expect((await limiter.consume(tenant(), name, still(1))).allowed).toBe(true)
      expect((await limiter.consume(systemScope('kit'), name, still(1))).allowed).toBe(true)
    })

    test('different keys in one company are independent', async () => {
      const scope = tenant()
      const first = key()
      expect((await limiter.consume(scope, first, still(1))).allowed).toBe(true)
      expect((await limiter.consume(scope, first, still(1))).allowed).toBe(false)
      expect((await limiter.consume(scope, key(), still(1))).allowed).toBe(true)
    })

    test('an already-aborted signal fails with CANCELLED and takes nothing', async () => {
      const scope = tenant()
      const name = key()
      await expectCoreError(
        limiter.consume(scope, name, still(1), 1, { signal: AbortSignal.abort() }),
        'CANCELLED',
      )
      expect((await limiter.consume(scope, name, still(1))).allowed).toBe(true)
    })
  })
}
