import {
  type CallOptions,
  CoreError,
  type Invoice,
  type InvoiceId,
  type InvoiceStore,
  type Page,
  type PageRequest,
  type TenantScope,
} from '@agentry/contracts'
import { throwIfAborted } from './abort.js'
import { assertOwnRow, type MemoryDatabase } from './memory-database.js'
import { paginate } from './memory-page.js'

/** One invoice per company and period; rows are keyed by id. */
export class MemoryInvoiceStore implements InvoiceStore {
  constructor(private readonly database: MemoryDatabase) {}

  async saveDraft(scope: TenantScope, invoice: Invoice, options?: CallOptions): Promise<Invoice> {
    throwIfAborted(options, 'Saving a draft invoice')
    assertOwnRow(scope, invoice, 'invoice')
    this.database.requireCompany(scope)
    if (invoice.status !== 'draft')
      throw new CoreError('INVALID_INPUT', 'saveDraft takes a draft; finalize it with finalize()')
    const invoices = this.database.invoices
    const existing = this.#byPeriod(scope, invoice.period)
    if (existing?.status === 'final') {
      throw new CoreError('CONFLICT', `The invoice for ${invoice.period} is final and cannot be redrafted`)
    }
    const clash = invoices.peek(scope.companyId, invoice.id)
    if (clash && clash.period !== invoice.period) {
      throw new CoreError('CONFLICT', `Invoice ${invoice.id} already exists for period ${clash.period}`)
    }
    if (existing) invoices.delete(scope.companyId, existing.id)
    invoices.set(scope.companyId, invoice.id, invoice)
    return structuredClone(invoice)
  }

  async get(scope: TenantScope, id: InvoiceId, options?: CallOptions): Promise<Invoice | null> {
    throwIfAborted(options, 'Reading an invoice')
    return this.database.invoices.get(scope.companyId, id) ?? null
  }

  async getByPeriod(scope: TenantScope, period: string, options?: CallOptions): Promise<Invoice | null> {
    throwIfAborted(options, 'Reading an invoice')
    const invoice = this.#byPeriod(scope, period)
    return invoice ? structuredClone(invoice) : null
  }

  async list(scope: TenantScope, page?: PageRequest, options?: CallOptions): Promise<Page<Invoice>> {
    throwIfAborted(options, 'Listing invoices')
    return paginate(
      this.database.invoices.rows(scope.companyId),
      { key: (invoice) => [invoice.period], direction: 'desc' },
      page,
    )
  }

  async finalize(
    scope: TenantScope,
    id: InvoiceId,
    at: Date,
    options?: CallOptions,
  ): Promise<Invoice | null> {
    throwIfAborted(options, 'Finalizing an invoice')
    const invoice = this.database.invoices.get(scope.companyId, id)
    if (!invoice) return null
    if (invoice.status === 'final') return invoice
    const final: Invoice = { ...invoice, status: 'final', finalizedAt: new Date(at) }
    this.database.invoices.set(scope.companyId, id, final)
    return structuredClone(final)
  }

  #byPeriod(scope: TenantScope, period: string): Invoice | undefined {
    return this.database.invoices.rows(scope.companyId).find((invoice) => invoice.period === period)
  }
}
