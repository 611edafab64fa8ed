import type { CallOptions, Page, PageRequest } from '../../common.js'
import type { AuditEntry } from '../../domain/audit.js'
import type { TenantScope } from '../../scope.js'

export interface AuditFilter {
  readonly action?: string
  readonly resourceType?: string
  readonly resourceId?: string
}

/** Append-only audit log (updates and deletes refused, by the database where there is one). */
export interface AuditLogStore {
  append(scope: TenantScope, entry: AuditEntry, options?: CallOptions): Promise<void>
  /** Newest first. */
  list(
    scope: TenantScope,
    filter?: AuditFilter,
    page?: PageRequest,
    options?: CallOptions,
  ): Promise<Page<AuditEntry>>
}
