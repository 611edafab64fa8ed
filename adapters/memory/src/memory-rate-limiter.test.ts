import { type Clock, tenantScope } from '@agentry/contracts'
import { newId } from '@agentry/contracts/testing'
import { describe, expect, it } from 'vitest'
import { MemoryRateLimiter } from './memory-rate-limiter.js'

function manualClock(start = 1_700_000_000_000): Clock & { advance(ms: number): void } {
  let now = start
  return { now: () => new Date(now), advance: (ms) => (now += ms) }
}

describe('MemoryRateLimiter', () => {
  it('refills at refillPerSecond and reports the exact wait', async () => {
    const clock = manualClock()
    const limiter = new MemoryRateLimiter({ clock })
    const scope = tenantScope(newId())
    const bucket = { capacity: 10, refillPerSecond: 2 }
    expect(await limiter.consume(scope, 'k', bucket, 10)).toEqual({
      allowed: true,
      remaining: 0,
      retryAfterMs: 0,
    })
    expect(await limiter.consume(scope, 'k', bucket, 3)).toEqual({
      allowed: false,
      remaining: 0,
      retryAfterMs: 1500,
    })
    clock.advance(1000)
    expect(await limiter.consume(scope, 'k', bucket, 3)).toEqual({
      allowed: false,
      remaining: 2,
      retryAfterMs: 500,
    })
    clock.advance(500)
    expect(await limiter.consume(scope, 'k', bucket, 3)).toEqual({
      allowed: true,
      remaining: 0,
      retryAfterMs: 0,
    })
    clock.advance(60_000)
    expect(await limiter.consume(scope, 'k', bucket, 1)).toEqual({
      allowed: true,
      remaining: 9,
      retryAfterMs: 0,
    })
  })

  it('a bucket that never refills never allows again', async () => {
    const limiter = new MemoryRateLimiter({ clock: manualClock() })
    const scope = tenantScope(newId())
    const bucket = { capacity: 1, refillPerSecond: 0 }
    expect((await limiter.consume(scope, 'k', bucket)).allowed).toBe(true)
    const refused = await limiter.consume(scope, 'k', bucket)
    expect(refused.allowed).toBe(false)
    expect(refused.retryAfterMs).toBe(Number.MAX_SAFE_INTEGER)
  })

  it('forgets refilled buckets without changing any decision', async () => {
    const clock = manualClock()
    const limiter = new MemoryRateLimiter({ clock })
    const scope = tenantScope(newId())
    const bucket = { capacity: 2, refillPerSecond: 1 }
    await limiter.consume(scope, 'kept', bucket, 2)
    for (let index = 0; index < 1500; index += 1) await limiter.consume(scope, `other-${index}`, bucket)
    expect((await limiter.consume(scope, 'kept', bucket)).allowed).toBe(false)
    clock.advance(5000)
    for (let index = 0; index < 1500; index += 1) await limiter.consume(scope, `more-${index}`, bucket)
    expect(await limiter.consume(scope, 'kept', bucket)).toMatchObject({ allowed: true, remaining: 1 })
  })
})
