import type {
  AuditEntry,
  AuditFilter,
  AuditLogStore,
  CallOptions,
  Page,
  PageRequest,
  TenantScope,
} from '@agentry/contracts'
import { throwIfAborted } from './abort.js'
import { assertOwnRow, type MemoryDatabase } from './memory-database.js'
import { paginate } from './memory-page.js'

/** Append-only: an entry is never changed; appending a known id again is a no-op. */
export class MemoryAuditLogStore implements AuditLogStore {
  constructor(private readonly database: MemoryDatabase) {}

  async append(scope: TenantScope, entry: AuditEntry, options?: CallOptions): Promise<void> {
    throwIfAborted(options, 'Appending to the audit log')
    assertOwnRow(scope, entry, 'audit entry')
    this.database.requireCompany(scope)
    if (this.database.audit.has(scope.companyId, entry.id)) return
    this.database.audit.set(scope.companyId, entry.id, entry)
  }

  async list(
    scope: TenantScope,
    filter: AuditFilter = {},
    page?: PageRequest,
    options?: CallOptions,
  ): Promise<Page<AuditEntry>> {
    throwIfAborted(options, 'Listing the audit log')
    const entries = this.database.audit
      .rows(scope.companyId)
      .filter(
        (entry) =>
          (filter.action === undefined || entry.action === filter.action) &&
          (filter.resourceType === undefined || entry.resourceType === filter.resourceType) &&
          (filter.resourceId === undefined || entry.resourceId === filter.resourceId),
      )
    return paginate(
      entries,
      { key: (entry) => [entry.occurredAt.getTime(), entry.id], direction: 'desc' },
      page,
    )
  }
}
