import type { Actor, ApiKeyId, CompanyId } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { ApiKeyCache } from './api-key-cache.js'

const actor = (apiKeyId: string): Actor => ({
  type: 'api-key',
  apiKeyId: apiKeyId as ApiKeyId,
  companyId: 'c1' as CompanyId,
  permissions: ['agents:view'],
})

function counting(result: (token: string) => Actor) {
  const calls: string[] = []
  return {
    calls,
    authenticate: async (token: string) => {
      calls.push(token)
      return result(token)
    },
  }
}

describe('ApiKeyCache', () => {
  it('asks the service once per key within the time to live, again after it', async () => {
    let now = 1000
    const cache = new ApiKeyCache(5000, () => now)
    const service = counting(() => actor('k1'))
    await cache.authenticate('agt_a', service.authenticate)
    await cache.authenticate('agt_a', service.authenticate)
    now += 4999
    await cache.authenticate('agt_a', service.authenticate)
    expect(service.calls).toEqual(['agt_a'])
    now += 1
    expect(await cache.authenticate('agt_a', service.authenticate)).toEqual(actor('k1'))
    expect(service.calls).toEqual(['agt_a', 'agt_a'])
  })

  it('keeps keys apart and forgets a revoked key at once', async () => {
    const cache = new ApiKeyCache(60_000)
    const service = counting((token) => actor(token === 'agt_a' ? 'k1' : 'k2'))
    await cache.authenticate('agt_a', service.authenticate)
    await cache.authenticate('agt_b', service.authenticate)
    cache.forget('k1')
    await cache.authenticate('agt_a', service.authenticate)
    await cache.authenticate('agt_b', service.authenticate)
    expect(service.calls).toEqual(['agt_a', 'agt_b', 'agt_a'])
  })

  it('never remembers a failure', async () => {
    const cache = new ApiKeyCache(60_000)
    let isValid = false
    const authenticate = async () => {
      if (!isValid) throw new CoreError('UNAUTHENTICATED', 'no')
      return actor('k1')
    }
    await expect(cache.authenticate('agt_a', authenticate)).rejects.toThrow('no')
    isValid = true
    expect(await cache.authenticate('agt_a', authenticate)).toEqual(actor('k1'))
  })

  it('asks every time when turned off', async () => {
    const cache = new ApiKeyCache(0)
    const service = counting(() => actor('k1'))
    await cache.authenticate('agt_a', service.authenticate)
    await cache.authenticate('agt_a', service.authenticate)
    expect(service.calls).toHaveLength(2)
  })
})
