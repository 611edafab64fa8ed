import type {
  AuditEntry,
  AuditFilter,
  AuditLogStore,
  CallOptions,
  Page,
  PageRequest,
  TenantScope,
} from '@agentry/contracts'
import { pastCursor, readKeyset, toPage } from '../keyset-page.js'
import type { UnitOfWork } from '../postgres-unit-of-work.js'
import { auditEntryRow, toAuditEntry } from '../rows/billing-rows.js'

/** Append-only: the runtime role has no UPDATE or DELETE on the table and a trigger refuses both. */
export class PostgresAuditLogStore implements AuditLogStore {
  readonly #work: UnitOfWork

  constructor(work: UnitOfWork) {
    this.#work = work
  }

  async append(scope: TenantScope, entry: AuditEntry, options?: CallOptions): Promise<void> {
    return this.#work.withTenant(
      scope,
      'audit append',
      async (db) => {
        await db.insertInto('audit_log').values(auditEntryRow(entry)).execute()
      },
      options,
    )
  }

  async list(
    scope: TenantScope,
    filter: AuditFilter = {},
    page?: PageRequest,
    options?: CallOptions,
  ): Promise<Page<AuditEntry>> {
    const { limit, after } = readKeyset(page, 2)
    return this.#work.withTenant(
      scope,
      'audit list',
      async (db) => {
        let query = db.selectFrom('audit_log').selectAll().where('company_id', '=', scope.companyId)
        if (filter.action !== undefined) query = query.where('action', '=', filter.action)
        if (filter.resourceType !== undefined) query = query.where('resource_type', '=', filter.resourceType)
        if (filter.resourceId !== undefined) query = query.where('resource_id', '=', filter.resourceId)
        if (after) query = query.where(pastCursor(['occurred_at', 'id'], 'desc', after))
        const rows = await query
          .orderBy('occurred_at', 'desc')
          .orderBy('id', 'desc')
          .limit(limit + 1)
          .execute()
        return toPage(rows, limit, toAuditEntry, (row) => [row.occurred_at, row.id])
      },
      options,
    )
  }
}
