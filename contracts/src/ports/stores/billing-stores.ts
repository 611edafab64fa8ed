import type { CallOptions, Page, PageRequest } from '../../common.js'
import type { Invoice, PriceBook, Quota } from '../../domain/billing.js'
import type { InvoiceId, PriceBookId, QuotaId } from '../../ids.js'
import type { SystemScope, TenantScope } from '../../scope.js'

/** Platform-wide price books (not tenant data). `(planId, version)` is unique (`CONFLICT`). */
export interface PriceBookStore {
  create(scope: SystemScope, priceBook: PriceBook, options?: CallOptions): Promise<PriceBook>
  get(scope: SystemScope, id: PriceBookId, options?: CallOptions): Promise<PriceBook | null>
  /** Newest version first; every plan when `planId` is absent. */
  list(scope: SystemScope, planId?: string, options?: CallOptions): Promise<readonly PriceBook[]>
  /** The version with the latest `effectiveFrom` at or before `at`. */
  inForce(scope: SystemScope, planId: string, at: Date, options?: CallOptions): Promise<PriceBook | null>
}

/**
 * Invoices. One per company and period. `saveDraft` replaces the period's open draft atomically and
 * throws `CONFLICT` when the period is already final. `finalize` is idempotent and makes the invoice
 * immutable; usage appended afterwards bills in a later period.
 */
export interface InvoiceStore {
  saveDraft(scope: TenantScope, invoice: Invoice, options?: CallOptions): Promise<Invoice>
  get(scope: TenantScope, id: InvoiceId, options?: CallOptions): Promise<Invoice | null>
  getByPeriod(scope: TenantScope, period: string, options?: CallOptions): Promise<Invoice | null>
  /** Newest period first. */
  list(scope: TenantScope, page?: PageRequest, options?: CallOptions): Promise<Page<Invoice>>
  finalize(scope: TenantScope, id: InvoiceId, at: Date, options?: CallOptions): Promise<Invoice | null>
}

/** Monthly caps. One quota per subject and metric: `put` replaces it. */
export interface QuotaStore {
  put(scope: TenantScope, quota: Quota, options?: CallOptions): Promise<Quota>
  list(scope: TenantScope, options?: CallOptions): Promise<readonly Quota[]>
  delete(scope: TenantScope, id: QuotaId, options?: CallOptions): Promise<boolean>
}
