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
import { pastCursor, readKeyset, toPage } from '../keyset-page.js'
import type { Transaction, UnitOfWork } from '../postgres-unit-of-work.js'
import { invoiceRow, toInvoice } from '../rows/billing-rows.js'

export class PostgresInvoiceStore implements InvoiceStore {
  readonly #work: UnitOfWork

  constructor(work: UnitOfWork) {
    this.#work = work
  }

  async saveDraft(scope: TenantScope, invoice: Invoice, options?: CallOptions): Promise<Invoice> {
    return this.#work.withTenant(
      scope,
      'invoice save draft',
      async (db) => {
        const row = await db
          .insertInto('invoices')
          .values(invoiceRow(invoice))
          .onConflict((conflict) =>
            conflict
              .columns(['company_id', 'period'])
              .doUpdateSet((eb) => ({
                id: eb.ref('excluded.id'),
                currency: eb.ref('excluded.currency'),
                status: eb.ref('excluded.status'),
                lines: eb.ref('excluded.lines'),
                total: eb.ref('excluded.total'),
                digest: eb.ref('excluded.digest'),
                price_book_id: eb.ref('excluded.price_book_id'),
                price_book_version: eb.ref('excluded.price_book_version'),
                event_count: eb.ref('excluded.event_count'),
                created_at: eb.ref('excluded.created_at'),
                finalized_at: eb.ref('excluded.finalized_at'),
              }))
              .where('invoices.status', '=', 'draft'),
          )
          .returningAll()
          .executeTakeFirst()
        if (!row) {
          throw new CoreError(
            'CONFLICT',
            `The invoice for ${invoice.period} is final and cannot be redrafted`,
            {
              details: { period: invoice.period },
            },
          )
        }
        return toInvoice(row)
      },
      options,
    )
  }

  async get(scope: TenantScope, id: InvoiceId, options?: CallOptions): Promise<Invoice | null> {
    return this.#work.withTenant(scope, 'invoice get', (db) => findInvoice(db, scope, id), options)
  }

  async getByPeriod(scope: TenantScope, period: string, options?: CallOptions): Promise<Invoice | null> {
    return this.#work.withTenant(
      scope,
      'invoice get by period',
      async (db) => {
        const row = await db
          .selectFrom('invoices')
          .selectAll()
          .where('company_id', '=', scope.companyId)
          .where('period', '=', period)
          .executeTakeFirst()
        return row ? toInvoice(row) : null
      },
      options,
    )
  }

  async list(scope: TenantScope, page?: PageRequest, options?: CallOptions): Promise<Page<Invoice>> {
    const { limit, after } = readKeyset(page, 1)
    return this.#work.withTenant(
      scope,
      'invoice list',
      async (db) => {
        let query = db.selectFrom('invoices').selectAll().where('company_id', '=', scope.companyId)
        if (after) query = query.where(pastCursor(['period'], 'desc', after))
        const rows = await query
          .orderBy('period', 'desc')
          .limit(limit + 1)
          .execute()
        return toPage(rows, limit, toInvoice, (row) => [row.period])
      },
      options,
    )
  }

  async finalize(
    scope: TenantScope,
    id: InvoiceId,
    at: Date,
    options?: CallOptions,
  ): Promise<Invoice | null> {
    return this.#work.withTenant(
      scope,
      'invoice finalize',
      async (db) => {
        const row = await db
          .updateTable('invoices')
          .set({ status: 'final', finalized_at: at })
          .where('company_id', '=', scope.companyId)
          .where('id', '=', id)
          .where('status', '=', 'draft')
          .returningAll()
          .executeTakeFirst()
        // Already final (finalizing again changes nothing) or missing.
        return row ? toInvoice(row) : findInvoice(db, scope, id)
      },
      options,
    )
  }
}

async function findInvoice(db: Transaction, scope: TenantScope, id: InvoiceId): Promise<Invoice | null> {
  const row = await db
    .selectFrom('invoices')
    .selectAll()
    .where('company_id', '=', scope.companyId)
    .where('id', '=', id)
    .executeTakeFirst()
  return row ? toInvoice(row) : null
}
