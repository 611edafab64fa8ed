import { expect } from 'vitest'
import { makeAuditEntry } from '../fixtures.js'
import { allPages, idsOf, type StoreKit, seedTenant, timeline } from './store-kit-context.js'

/** `AuditLogStore`: append-only. */
export function describeAuditLogStore({ stores, test }: StoreKit): void {
  test('audit: list is newest first, filters, and pages with a cursor', async () => {
    const { scope } = await seedTenant(stores())
    const at = timeline()
    const entries = [
      makeAuditEntry(scope, {
        occurredAt: at(1),
        action: 'agent.create',
        resourceType: 'agent',
        resourceId: 'a1',
      }),
      makeAuditEntry(scope, {
        occurredAt: at(2),
        action: 'agent.rollback',
        resourceType: 'agent',
        resourceId: 'a1',
      }),
      makeAuditEntry(scope, {
        occurredAt: at(3),
        action: 'api-key.revoke',
        resourceType: 'api-key',
        resourceId: 'k1',
      }),
      makeAuditEntry(scope, {
        occurredAt: at(4),
        action: 'agent.create',
        resourceType: 'agent',
        resourceId: 'a2',
        actor: 'user:u1',
        details: { name: 'Support', tags: ['a', 'b'], nested: { count: 2, isNew: true, none: null } },
        requestId: 'req-1',
      }),
      makeAuditEntry(scope, {
        occurredAt: at(5),
        action: 'company.update',
        resourceType: 'company',
        resourceId: null,
      }),
    ]
    for (const entry of entries) await stores().audit.append(scope, entry)
    const pages = await allPages((page) => stores().audit.list(scope, {}, page), 2)
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1])
    expect(pages.flat()).toEqual([...entries].reverse())
    const list = async (filter: object) => idsOf((await stores().audit.list(scope, filter)).items)
    expect(await list({ action: 'agent.create' })).toEqual([entries[3]!.id, entries[0]!.id])
    expect(await list({ resourceType: 'agent', resourceId: 'a1' })).toEqual([entries[1]!.id, entries[0]!.id])
    expect(await list({ resourceType: 'api-key' })).toEqual([entries[2]!.id])
  })

  test('audit: appending a known id again never changes the entry', async () => {
    const { scope } = await seedTenant(stores())
    const entry = makeAuditEntry(scope)
    await stores().audit.append(scope, entry)
    await stores()
      .audit.append(scope, { ...entry, action: 'agent.delete' })
      .catch(() => undefined)
    expect((await stores().audit.list(scope)).items).toEqual([entry])
  })

  test('audit: another company sees none of the entries', async () => {
    const owner = await seedTenant(stores())
    const intruder = await seedTenant(stores())
    const entry = makeAuditEntry(owner.scope, { resourceId: 'shared-id' })
    await stores().audit.append(owner.scope, entry)
    expect((await stores().audit.list(intruder.scope)).items).toEqual([])
    expect((await stores().audit.list(intruder.scope, { resourceId: 'shared-id' })).items).toEqual([])
    expect((await stores().audit.list(owner.scope)).items).toEqual([entry])
  })
}
