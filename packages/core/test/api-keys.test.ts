import { createHash } from 'node:crypto'
import type { ApiKeyId, Permission } from '@agentry/contracts'
import { systemScope, tenantScope } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { API_KEY_TOUCH_INTERVAL_MS } from '../src/index.js'
import { createTestWorld, PLATFORM } from './helpers.js'

const KEY_FORMAT = /^agt_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/

async function expectCode(promise: Promise<unknown>, code: string, text?: string) {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason as { code: string; message: string },
  )
  expect(error?.code).toBe(code)
  if (text) expect(error?.message).toContain(text)
}

describe('API keys', () => {
  it('creates a company with an admin key shown once and stored only as its SHA-256', async () => {
    const world = createTestWorld()
    const created = await world.agentry.companies.create(PLATFORM, { name: 'Acme' })
    const { key, apiKey } = created.adminKey
    expect(key).toMatch(KEY_FORMAT)
    expect(apiKey).not.toHaveProperty('hash')
    expect(key.startsWith(`agt_${apiKey.prefix}_`)).toBe(true)
    const stored = await world.stores.apiKeys.findByPrefix(systemScope('test'), apiKey.prefix)
    expect(stored?.hash).toBe(createHash('sha256').update(key).digest('hex'))
    expect(JSON.stringify(stored)).not.toContain(key.slice(`agt_${apiKey.prefix}_`.length))
    const audit = await world.stores.audit.list(tenantScope(created.company.id))
    expect(audit.items.map((entry) => [entry.action, entry.actor, entry.requestId]).sort()).toEqual([
      ['api-key.create', 'platform-admin', 'request-1'],
      ['company.create', 'platform-admin', 'request-1'],
    ])
  })

  it('only the platform may create companies', async () => {
    const world = createTestWorld()
    const { context } = await world.company()
    await expectCode(world.agentry.companies.create(context, { name: 'Evil' }), 'FORBIDDEN')
  })

  it('authenticates by prefix with one read and refuses wrong, malformed and unknown keys', async () => {
    const world = createTestWorld()
    const { key, companyId } = await world.company()
    world.recorded.reset()
    const actor = await world.agentry.apiKeys.authenticate(key)
    expect(actor).toMatchObject({ type: 'api-key', companyId })
    expect(world.recorded.calls[0]).toBe('apiKeys.findByPrefix')
    const wrongSecret = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A')
    await expectCode(world.agentry.apiKeys.authenticate(wrongSecret), 'UNAUTHENTICATED', 'not valid')
    await expectCode(world.agentry.apiKeys.authenticate('agt_nothex_secret'), 'UNAUTHENTICATED')
    await expectCode(world.agentry.apiKeys.authenticate('Bearer something'), 'UNAUTHENTICATED')
    await expectCode(
      world.agentry.apiKeys.authenticate(`agt_000000000000_${'a'.repeat(43)}`),
      'UNAUTHENTICATED',
    )
  })

  it('records last use at most once a minute per key', async () => {
    const world = createTestWorld()
    const { key, context } = await world.company()
    const id = context.actor.type === 'api-key' ? context.actor.apiKeyId : ('' as ApiKeyId)
    world.recorded.reset()
    world.clock.advance(API_KEY_TOUCH_INTERVAL_MS)
    await world.agentry.apiKeys.authenticate(key)
    world.clock.advance(10_000)
    await world.agentry.apiKeys.authenticate(key)
    await world.agentry.apiKeys.authenticate(key)
    expect(world.recorded.calls.filter((call) => call === 'apiKeys.touch')).toHaveLength(1)
    world.clock.advance(API_KEY_TOUCH_INTERVAL_MS)
    await world.agentry.apiKeys.authenticate(key)
    expect(world.recorded.calls.filter((call) => call === 'apiKeys.touch')).toHaveLength(2)
    const stored = await world.agentry.apiKeys.get(context, id)
    expect(stored.lastUsedAt?.toISOString()).toBe(world.clock.now().toISOString())
  })

  it('refuses a revoked key and audits the revocation', async () => {
    const world = createTestWorld()
    const { context, companyId } = await world.company()
    const created = await world.agentry.apiKeys.create(context, { name: 'ci', permissions: ['chat:send'] })
    expect((await world.agentry.apiKeys.authenticate(created.key)).type).toBe('api-key')
    const revoked = await world.agentry.apiKeys.revoke(context, created.apiKey.id)
    expect(revoked.revokedAt).not.toBeNull()
    await expectCode(world.agentry.apiKeys.authenticate(created.key), 'UNAUTHENTICATED', 'revoked')
    const audit = await world.stores.audit.list(tenantScope(companyId as never), { action: 'api-key.revoke' })
    expect(audit.items).toMatchObject([{ resourceId: created.apiKey.id, requestId: 'request-2' }])
  })

  it('refuses an expired key and a key that would be born expired', async () => {
    const world = createTestWorld()
    const { context } = await world.company()
    const hour = 60 * 60 * 1000
    const created = await world.agentry.apiKeys.create(context, {
      name: 'temporary',
      permissions: ['chat:send'],
      expiresAt: new Date(world.clock.now().getTime() + hour),
    })
    await world.agentry.apiKeys.authenticate(created.key)
    world.clock.advance(2 * hour)
    await expectCode(world.agentry.apiKeys.authenticate(created.key), 'UNAUTHENTICATED', 'expired')
    await expectCode(
      world.agentry.apiKeys.create(context, {
        name: 'past',
        permissions: ['chat:send'],
        expiresAt: new Date(0),
      }),
      'INVALID_INPUT',
      'expiresAt',
    )
  })

  it('grants a key only permissions its creator holds', async () => {
    const world = createTestWorld()
    const { context } = await world.company()
    const limited = await world.agentry.apiKeys.create(context, {
      name: 'keys',
      permissions: ['keys:manage', 'chat:send'],
    })
    const limitedContext = { actor: await world.agentry.apiKeys.authenticate(limited.key) }
    await expectCode(
      world.agentry.apiKeys.create(limitedContext, {
        name: 'more',
        permissions: ['chat:send', 'agents:manage'],
      }),
      'FORBIDDEN',
      'agents:manage',
    )
    const narrower = await world.agentry.apiKeys.create(limitedContext, {
      name: 'less',
      permissions: ['chat:send'],
    })
    expect(narrower.apiKey.permissions).toEqual(['chat:send'])
    await expectCode(
      world.agentry.apiKeys.create(context, { name: 'odd', permissions: ['root:all' as Permission] }),
      'INVALID_INPUT',
      'permissions.0',
    )
    await expectCode(
      world.agentry.apiKeys.create(context, { name: 'none', permissions: [] }),
      'INVALID_INPUT',
      'permissions',
    )
    const chatOnly = { actor: await world.agentry.apiKeys.authenticate(narrower.key) }
    await expectCode(world.agentry.apiKeys.list(chatOnly), 'FORBIDDEN', 'keys:manage')
  })

  it('keeps keys of one company out of reach of another', async () => {
    const world = createTestWorld()
    const a = await world.company('A')
    const b = await world.company('B')
    const keyA = await world.agentry.apiKeys.create(a.context, { name: 'a', permissions: ['chat:send'] })
    await expectCode(world.agentry.apiKeys.get(b.context, keyA.apiKey.id), 'NOT_FOUND')
    await expectCode(world.agentry.apiKeys.revoke(b.context, keyA.apiKey.id), 'NOT_FOUND')
    expect((await world.agentry.apiKeys.list(b.context)).items.map((key) => key.name)).toEqual(['Admin key'])
    await expectCode(
      world.agentry.apiKeys.list({ ...b.context, companyId: a.companyId as never }),
      'FORBIDDEN',
    )
    expect((await world.agentry.apiKeys.authenticate(keyA.key)).type).toBe('api-key')
  })
})
