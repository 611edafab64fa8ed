import { expect } from 'vitest'
import type { Page } from '../../common.js'
import type { Secret } from '../../domain/secret.js'
import type { SecretId } from '../../ids.js'
import { makeSecret, newId } from '../fixtures.js'
import { allPages, idsOf, type StoreKit, SYSTEM, seedTenant, timeline } from './store-kit-context.js'

/** `SecretStore`. */
export function describeSecretStore({ stores, test }: StoreKit): void {
  test('secrets: put creates; getByName returns it', async () => {
    const { scope } = await seedTenant(stores())
    const secret = makeSecret(scope, { name: 'crm.token' })
    expect(await stores().secrets.put(scope, secret)).toEqual(secret)
    expect(await stores().secrets.getByName(scope, 'crm.token')).toEqual(secret)
    expect(await stores().secrets.getByName(scope, 'missing')).toBeNull()
  })

  test('secrets: put on an existing name replaces the value, keeping id and createdAt', async () => {
    const { scope } = await seedTenant(stores())
    const at = timeline()
    const first = await stores().secrets.put(
      scope,
      makeSecret(scope, { name: 'api_key', createdAt: at(1), updatedAt: at(1) }),
    )
    const replacement = makeSecret(scope, {
      name: 'api_key',
      value: { keyId: 'k2', ciphertext: 'bmV3' },
      createdAt: at(5),
      updatedAt: at(5),
    })
    const expected = { ...replacement, id: first.id, createdAt: at(1) }
    expect(await stores().secrets.put(scope, replacement)).toEqual(expected)
    expect(await stores().secrets.getByName(scope, 'api_key')).toEqual(expected)
    expect((await stores().secrets.list(scope)).items).toEqual([expected])
  })

  test('secrets: list is by name and pages with a cursor; delete removes by name once', async () => {
    const { scope } = await seedTenant(stores())
    const names = ['stripe', 'crm', 'zendesk', 'aws', 'github']
    for (const name of names) await stores().secrets.put(scope, makeSecret(scope, { name }))
    const pages = await allPages((page) => stores().secrets.list(scope, page), 2)
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1])
    expect(pages.flat().map((secret) => secret.name)).toEqual([...names].sort())
    expect(await stores().secrets.delete(scope, 'crm')).toBe(true)
    expect(await stores().secrets.getByName(scope, 'crm')).toBeNull()
    expect(await stores().secrets.delete(scope, 'crm')).toBe(false)
  })

  test('secrets: listAll pages through every company in id order', async () => {
    const first = await seedTenant(stores())
    const second = await seedTenant(stores())
    const mine = [
      await stores().secrets.put(first.scope, makeSecret(first.scope)),
      await stores().secrets.put(second.scope, makeSecret(second.scope)),
      await stores().secrets.put(first.scope, makeSecret(first.scope)),
    ]
    const pages = await allPages((page) => stores().secrets.listAll(SYSTEM, page), 200, 1000)
    const all = pages.flat()
    const ids = idsOf(all)
    expect([...ids].sort()).toEqual(ids)
    expect(new Set(ids).size).toBe(ids.length)
    expect(all.filter((secret) => mine.some((row) => row.id === secret.id))).toEqual(mine)
    const firstPage: Page<Secret> = await stores().secrets.listAll(SYSTEM, { limit: 1 })
    expect(firstPage.items).toHaveLength(1)
  })

  test('secrets: replaceValue swaps the ciphertext only while it still holds the expected value', async () => {
    const { scope } = await seedTenant(stores())
    const secret = await stores().secrets.put(scope, makeSecret(scope))
    const rotated = { keyId: 'k2', ciphertext: 'cm90YXRlZA==' }
    const at = new Date(secret.updatedAt.getTime() + 1000)
    expect(await stores().secrets.replaceValue(SYSTEM, secret.id, secret.value, rotated, at)).toBe(true)
    expect(await stores().secrets.getByName(scope, secret.name)).toEqual({
      ...secret,
      value: rotated,
      updatedAt: at,
    })
    const later = new Date(at.getTime() + 1000)
    expect(
      await stores().secrets.replaceValue(
        SYSTEM,
        secret.id,
        secret.value,
        { keyId: 'k3', ciphertext: 'eA==' },
        later,
      ),
    ).toBe(false)
    expect((await stores().secrets.getByName(scope, secret.name))?.value).toEqual(rotated)
    expect(await stores().secrets.replaceValue(SYSTEM, newId<SecretId>(), rotated, rotated, later)).toBe(
      false,
    )
  })

  test('secrets: another company can neither see nor change them; the same name is its own secret', async () => {
    const owner = await seedTenant(stores())
    const intruder = await seedTenant(stores())
    const secret = await stores().secrets.put(owner.scope, makeSecret(owner.scope, { name: 'shared_name' }))
    expect(await stores().secrets.getByName(intruder.scope, 'shared_name')).toBeNull()
    expect((await stores().secrets.list(intruder.scope)).items).toEqual([])
    expect(await stores().secrets.delete(intruder.scope, 'shared_name')).toBe(false)
    const theirs = await stores().secrets.put(
      intruder.scope,
      makeSecret(intruder.scope, { name: 'shared_name' }),
    )
    expect(theirs.id).not.toBe(secret.id)
    expect(await stores().secrets.getByName(owner.scope, 'shared_name')).toEqual(secret)
    expect(await stores().secrets.getByName(intruder.scope, 'shared_name')).toEqual(theirs)
  })
}
