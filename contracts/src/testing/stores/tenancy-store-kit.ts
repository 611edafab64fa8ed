import { expect } from 'vitest'
import type { Page } from '../../common.js'
import type { Company } from '../../domain/tenancy.js'
import type { CompanyId, UserId } from '../../ids.js'
import { tenantScope } from '../../scope.js'
import { expectCoreError } from '../expect-core-error.js'
import { makeCompany, makeUser, newId } from '../fixtures.js'
import { allPages, idsOf, type StoreKit, SYSTEM, seedTenant, timeline } from './store-kit-context.js'

/** `CompanyStore` and `UserStore`. */
export function describeTenancyStores({ stores, test }: StoreKit): void {
  test('companies: create, then get under its own scope', async () => {
    const company = makeCompany({ name: 'Globex', planId: 'pro' })
    expect(await stores().companies.create(SYSTEM, company)).toEqual(company)
    expect(await stores().companies.get(tenantScope(company.id))).toEqual(company)
  })

  test('companies: an existing id is CONFLICT', async () => {
    const { company } = await seedTenant(stores())
    await expectCoreError(stores().companies.create(SYSTEM, { ...company, name: 'Other' }), 'CONFLICT')
    expect((await stores().companies.get(tenantScope(company.id)))?.name).toBe(company.name)
  })

  test('companies: get of a company that does not exist is null', async () => {
    expect(await stores().companies.get(tenantScope(newId()))).toBeNull()
  })

  test('companies: list is newest first and pages with a cursor', async () => {
    const at = timeline()
    const made = [1, 2, 3].map((offset) =>
      makeCompany({ createdAt: at(3600 + offset), updatedAt: at(3600 + offset) }),
    )
    for (const company of made) await stores().companies.create(SYSTEM, company)
    const wanted = new Set(idsOf(made))
    const seen: CompanyId[] = []
    let cursor: string | null = null
    do {
      const page: Page<Company> = await stores().companies.list(SYSTEM, { limit: 2, cursor })
      expect(page.items.length).toBeLessThanOrEqual(2)
      seen.push(...idsOf(page.items))
      cursor = page.nextCursor
    } while (cursor !== null && !made.every((company) => seen.includes(company.id)) && seen.length < 10_000)
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen.filter((id) => wanted.has(id))).toEqual(idsOf(made).reverse())
  })

  test('companies: update changes only the patched fields of the scope’s company', async () => {
    const { company, scope } = await seedTenant(stores())
    const { company: other } = await seedTenant(stores())
    const updatedAt = new Date(company.updatedAt.getTime() + 1000)
    const updated = await stores().companies.update(scope, {
      planId: 'enterprise',
      status: 'suspended',
      updatedAt,
    })
    expect(updated).toEqual({ ...company, planId: 'enterprise', status: 'suspended', updatedAt })
    expect(await stores().companies.get(scope)).toEqual(updated)
    expect(await stores().companies.get(tenantScope(other.id))).toEqual(other)
    expect(await stores().companies.update(tenantScope(newId()), { name: 'Ghost', updatedAt })).toBeNull()
  })

  test('users: create, then get returns the same user', async () => {
    const { scope } = await seedTenant(stores())
    const user = makeUser(scope, { role: 'admin' })
    expect(await stores().users.create(scope, user)).toEqual(user)
    expect(await stores().users.get(scope, user.id)).toEqual(user)
    expect(await stores().users.get(scope, newId<UserId>())).toBeNull()
  })

  test('users: emails are stored lowercased and unique within a company only', async () => {
    const { scope } = await seedTenant(stores())
    const other = await seedTenant(stores())
    const email = `Ada.${newId()}@Example.COM`
    const user = await stores().users.create(scope, makeUser(scope, { email }))
    expect(user.email).toBe(email.toLowerCase())
    expect((await stores().users.get(scope, user.id))?.email).toBe(email.toLowerCase())
    await expectCoreError(
      stores().users.create(scope, makeUser(scope, { email: email.toUpperCase() })),
      'CONFLICT',
    )
    await stores().users.create(other.scope, makeUser(other.scope, { email }))
    await expectCoreError(stores().users.create(scope, { ...user, email: `new-${email}` }), 'CONFLICT')
  })

  test('users: findByEmail finds the person in every company, ignoring case', async () => {
    const first = await seedTenant(stores())
    const second = await seedTenant(stores())
    const email = `grace.${newId()}@example.com`
    const users = [
      await stores().users.create(first.scope, makeUser(first.scope, { email })),
      await stores().users.create(second.scope, makeUser(second.scope, { email })),
    ]
    const found = await stores().users.findByEmail(SYSTEM, email.toUpperCase())
    expect(new Set(idsOf(found))).toEqual(new Set(idsOf(users)))
    expect(await stores().users.findByEmail(SYSTEM, `nobody.${newId()}@example.com`)).toEqual([])
  })

  test('users: list is oldest first and pages with a cursor', async () => {
    const { scope } = await seedTenant(stores())
    const at = timeline()
    const users = [1, 2, 3, 4, 5].map((offset) =>
      makeUser(scope, { createdAt: at(offset), updatedAt: at(offset) }),
    )
    for (const user of [...users].reverse()) await stores().users.create(scope, user)
    const pages = await allPages((page) => stores().users.list(scope, page), 2)
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1])
    expect(pages.flat()).toEqual(users)
    const exact = await allPages((page) => stores().users.list(scope, page), 5)
    expect(exact.map((page) => page.length)).toEqual([5])
  })

  test('users: update patches fields; delete removes the user once', async () => {
    const { scope } = await seedTenant(stores())
    const user = await stores().users.create(scope, makeUser(scope))
    const updatedAt = new Date(user.updatedAt.getTime() + 1000)
    const patch = {
      name: 'Grace Hopper',
      role: 'viewer',
      status: 'disabled',
      passwordHash: '$argon2id$new',
      updatedAt,
    } as const
    expect(await stores().users.update(scope, user.id, patch)).toEqual({ ...user, ...patch })
    expect(await stores().users.get(scope, user.id)).toEqual({ ...user, ...patch })
    expect(await stores().users.update(scope, newId<UserId>(), patch)).toBeNull()
    expect(await stores().users.delete(scope, user.id)).toBe(true)
    expect(await stores().users.get(scope, user.id)).toBeNull()
    expect(await stores().users.delete(scope, user.id)).toBe(false)
  })

  test('users: another company can neither see nor change them', async () => {
    const owner = await seedTenant(stores())
    const intruder = await seedTenant(stores())
    const user = await stores().users.create(owner.scope, makeUser(owner.scope))
    const at = new Date()
    expect(await stores().users.get(intruder.scope, user.id)).toBeNull()
    expect((await stores().users.list(intruder.scope)).items).toEqual([])
    expect(
      await stores().users.update(intruder.scope, user.id, { name: 'Mallory', updatedAt: at }),
    ).toBeNull()
    expect(await stores().users.delete(intruder.scope, user.id)).toBe(false)
    expect(await stores().users.get(owner.scope, user.id)).toEqual(user)
  })
}
