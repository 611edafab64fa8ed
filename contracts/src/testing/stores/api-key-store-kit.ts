import { expect } from 'vitest'
import type { ApiKeyId } from '../../ids.js'
import { expectCoreError } from '../expect-core-error.js'
import { makeApiKey, newId } from '../fixtures.js'
import { allPages, type StoreKit, SYSTEM, seedTenant, timeline } from './store-kit-context.js'

/** `ApiKeyStore`. */
export function describeApiKeyStore({ stores, test }: StoreKit): void {
  test('api keys: create, then get and findByPrefix return the same key', async () => {
    const { scope } = await seedTenant(stores())
    const key = makeApiKey(scope, { expiresAt: new Date(Date.UTC(2030, 0, 1)), createdBy: 'user:1' })
    expect(await stores().apiKeys.create(scope, key)).toEqual(key)
    expect(await stores().apiKeys.get(scope, key.id)).toEqual(key)
    expect(await stores().apiKeys.findByPrefix(SYSTEM, key.prefix)).toEqual(key)
    expect(await stores().apiKeys.findByPrefix(SYSTEM, `ak_missing${newId().slice(-8)}`)).toBeNull()
    expect(await stores().apiKeys.get(scope, newId<ApiKeyId>())).toBeNull()
  })

  test('api keys: prefixes are unique across companies and ids are unique', async () => {
    const first = await seedTenant(stores())
    const second = await seedTenant(stores())
    const key = await stores().apiKeys.create(first.scope, makeApiKey(first.scope))
    await expectCoreError(
      stores().apiKeys.create(second.scope, makeApiKey(second.scope, { prefix: key.prefix })),
      'CONFLICT',
    )
    await expectCoreError(
      stores().apiKeys.create(first.scope, { ...key, prefix: `${key.prefix}x` }),
      'CONFLICT',
    )
    expect(await stores().apiKeys.findByPrefix(SYSTEM, key.prefix)).toEqual(key)
  })

  test('api keys: list is newest first and pages with a cursor, revoked keys included', async () => {
    const { scope } = await seedTenant(stores())
    const at = timeline()
    const keys = [1, 2, 3].map((offset) => makeApiKey(scope, { createdAt: at(offset) }))
    for (const key of keys) await stores().apiKeys.create(scope, key)
    await stores().apiKeys.revoke(scope, keys[0]!.id, at(10))
    const pages = await allPages((page) => stores().apiKeys.list(scope, page), 2)
    expect(pages.map((page) => page.length)).toEqual([2, 1])
    expect(pages.flat().map((key) => key.id)).toEqual([keys[2]!.id, keys[1]!.id, keys[0]!.id])
    expect(pages[1]?.[0]?.revokedAt).toEqual(at(10))
  })

  test('api keys: revoke sets revokedAt once; revoking again keeps the first time', async () => {
    const { scope } = await seedTenant(stores())
    const key = await stores().apiKeys.create(scope, makeApiKey(scope))
    const at = timeline()
    expect(await stores().apiKeys.revoke(scope, key.id, at(1))).toEqual({ ...key, revokedAt: at(1) })
    expect(await stores().apiKeys.revoke(scope, key.id, at(2))).toEqual({ ...key, revokedAt: at(1) })
    expect((await stores().apiKeys.findByPrefix(SYSTEM, key.prefix))?.revokedAt).toEqual(at(1))
    expect(await stores().apiKeys.revoke(scope, newId<ApiKeyId>(), at(3))).toBeNull()
  })

  test('api keys: touch records the latest use and never moves it back', async () => {
    const { scope } = await seedTenant(stores())
    const key = await stores().apiKeys.create(scope, makeApiKey(scope))
    const at = timeline()
    await stores().apiKeys.touch(scope, key.id, at(5))
    expect((await stores().apiKeys.get(scope, key.id))?.lastUsedAt).toEqual(at(5))
    await stores().apiKeys.touch(scope, key.id, at(2))
    expect((await stores().apiKeys.get(scope, key.id))?.lastUsedAt).toEqual(at(5))
    await stores().apiKeys.touch(scope, key.id, at(9))
    expect((await stores().apiKeys.get(scope, key.id))?.lastUsedAt).toEqual(at(9))
    await stores().apiKeys.touch(scope, newId<ApiKeyId>(), at(9))
  })

  test('api keys: another company can neither see nor change them', async () => {
    const owner = await seedTenant(stores())
    const intruder = await seedTenant(stores())
    const key = await stores().apiKeys.create(owner.scope, makeApiKey(owner.scope))
    expect(await stores().apiKeys.get(intruder.scope, key.id)).toBeNull()
    expect((await stores().apiKeys.list(intruder.scope)).items).toEqual([])
    expect(await stores().apiKeys.revoke(intruder.scope, key.id, new Date())).toBeNull()
    await stores().apiKeys.touch(intruder.scope, key.id, new Date())
    expect(await stores().apiKeys.get(owner.scope, key.id)).toEqual(key)
  })
}
