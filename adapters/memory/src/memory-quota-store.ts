import type { CallOptions, Quota, QuotaId, QuotaStore, TenantScope } from '@agentry/contracts'
import { throwIfAborted } from './abort.js'
import { assertOwnRow, type MemoryDatabase, oldestFirst } from './memory-database.js'
import { compareKeys } from './memory-page.js'

const sameSubject = (left: Quota, right: Quota) =>
  left.metric === right.metric && JSON.stringify(left.subject) === JSON.stringify(right.subject)

/** One quota per subject and metric: `put` replaces the limit, keeping the quota's id and createdAt. */
export class MemoryQuotaStore implements QuotaStore {
  constructor(private readonly database: MemoryDatabase) {}

  async put(scope: TenantScope, quota: Quota, options?: CallOptions): Promise<Quota> {
    throwIfAborted(options, 'Saving a quota')
    assertOwnRow(scope, quota, 'quota')
    this.database.requireCompany(scope)
    const existing = this.database.quotas
      .rows(scope.companyId)
      .find((candidate) => sameSubject(candidate, quota))
    const stored: Quota = existing ? { ...quota, id: existing.id, createdAt: existing.createdAt } : quota
    this.database.quotas.set(scope.companyId, stored.id, stored)
    return structuredClone(stored)
  }

  async list(scope: TenantScope, options?: CallOptions): Promise<readonly Quota[]> {
    throwIfAborted(options, 'Listing quotas')
    const { key } = oldestFirst<Quota>()
    const quotas = this.database.quotas.rows(scope.companyId)
    quotas.sort((left, right) => compareKeys(key(left), key(right)))
    return structuredClone(quotas)
  }

  async delete(scope: TenantScope, id: QuotaId, options?: CallOptions): Promise<boolean> {
    throwIfAborted(options, 'Deleting a quota')
    return this.database.quotas.delete(scope.companyId, id)
  }
}
