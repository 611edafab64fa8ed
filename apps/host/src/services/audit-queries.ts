import type { AuditEntry, AuditFilter, CallOptions, Page, PageRequest, Stores } from '@agentry/contracts'
import { type RequestContext, requirePermission, scopeOf } from '@agentry/core'

/** The audit log of the caller's company, newest first (`audit:view`). */
export class AuditQueries {
  readonly #stores: Pick<Stores, 'audit'>

  constructor(stores: Pick<Stores, 'audit'>) {
    this.#stores = stores
  }

  list(
    context: RequestContext,
    filter: AuditFilter,
    page?: PageRequest,
    options?: CallOptions,
  ): Promise<Page<AuditEntry>> {
    requirePermission(context.actor, 'audit:view')
    return this.#stores.audit.list(scopeOf(context), filter, page, options)
  }
}
