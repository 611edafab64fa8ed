import type {
  CallOptions,
  Clock,
  IdGenerator,
  Invoice,
  InvoiceId,
  InvoiceLine,
  Page,
  PageRequest,
  PriceBook,
  Stores,
  TenantScope,
  UsagePeriodTotals,
} from '@agentry/contracts'
import { CoreError, isBillingPeriod, periodRange } from '@agentry/contracts'
import type { AuditRecorder } from '../audit/audit-recorder.js'
import type { RequestContext } from '../request-context.js'
import { requirePermission, scopeOf } from '../tenancy/permissions.js'
import { calculateInvoice, type InvoiceCalculation } from './invoice-calculator.js'
import { invoiceDigest } from './invoice-digest.js'
import type { PriceBookService } from './price-book-service.js'

/** What drafting did: a new invoice, a replaced open draft, or nothing (same digest and lines). */
export interface DraftOutcome {
  readonly invoice: Invoice
  readonly change: 'created' | 'replaced' | 'unchanged'
}

/** The figures an invoice is checked on. */
export interface InvoiceFigures {
  readonly digest: string
  readonly total: number
  readonly eventCount: number
  readonly priceBookId: string
  readonly priceBookVersion: number
}

export interface InvoiceVerification {
  readonly invoiceId: InvoiceId
  readonly period: string
  readonly status: Invoice['status']
  /**
   * True when recomputing from the events billed in the period gives the same invoice: with the
   * book a new draft would use for a draft, with the invoice's own book for a final invoice.
   */
  readonly matches: boolean
  readonly stored: InvoiceFigures
  readonly recomputed: InvoiceFigures
  /** What differs, in words; empty when it matches. */
  readonly differences: readonly string[]
}

interface Computed {
  readonly book: PriceBook
  readonly totals: UsagePeriodTotals
  readonly calculation: InvoiceCalculation
  readonly digest: string
}

/**
 * Invoice drafts (docs/billing.md): aggregate the events billed in a period in the store, price
 * them with the book in force at the period start, store lines, total and digest. Drafting again
 * replaces an open draft; finalizing checks the draft still recomputes and freezes it.
 */
export class InvoiceService {
  readonly #stores: Pick<Stores, 'invoices' | 'usage' | 'companies'>
  readonly #priceBooks: PriceBookService
  readonly #audit: AuditRecorder
  readonly #clock: Clock
  readonly #ids: IdGenerator

  constructor(
    stores: Pick<Stores, 'invoices' | 'usage' | 'companies'>,
    priceBooks: PriceBookService,
    audit: AuditRecorder,
    clock: Clock,
    ids: IdGenerator,
  ) {
    this.#stores = stores
    this.#priceBooks = priceBooks
    this.#audit = audit
    this.#clock = clock
    this.#ids = ids
  }

  /** Drafts (or redrafts) the invoice of `period` (`YYYY-MM`, started already). `billing:manage`. */
  async draft(context: RequestContext, period: string, options?: CallOptions): Promise<DraftOutcome> {
    requirePermission(context.actor, 'billing:manage')
    const scope = scopeOf(context)
    this.#requireStartedPeriod(period)
    const computed = await this.#compute(scope, period, options)
    const existing = await this.#stores.invoices.getByPeriod(scope, period, options)
    if (existing?.status === 'final') throw finalConflict(period)
    const { book, totals, calculation, digest } = computed
    if (
      existing &&
      existing.digest === digest &&
      existing.total === calculation.total &&
      sameLines(existing.lines, calculation.lines)
    ) {
      return { invoice: existing, change: 'unchanged' }
    }
    const invoice = await this.#stores.invoices.saveDraft(
      scope,
      {
        id: existing?.id ?? (this.#ids.next() as InvoiceId),
        companyId: scope.companyId,
        period,
        currency: book.currency,
        status: 'draft',
        lines: calculation.lines,
        total: calculation.total,
        digest,
        priceBookId: book.id,
        priceBookVersion: book.version,
        eventCount: totals.events,
        createdAt: this.#clock.now(),
        finalizedAt: null,
      },
      options,
    )
    await this.#audit.record(
      scope,
      context,
      {
        action: 'invoice.draft',
        resourceType: 'invoice',
        resourceId: invoice.id,
        details: { period, total: invoice.total, events: invoice.eventCount, digest },
      },
      options,
    )
    return { invoice, change: existing ? 'replaced' : 'created' }
  }

  async get(context: RequestContext, id: InvoiceId, options?: CallOptions): Promise<Invoice> {
    requirePermission(context.actor, 'billing:view')
    return this.#require(scopeOf(context), id, options)
  }

  /** Newest period first. */
  async list(context: RequestContext, page?: PageRequest, options?: CallOptions): Promise<Page<Invoice>> {
    requirePermission(context.actor, 'billing:view')
    return this.#stores.invoices.list(scopeOf(context), page, options)
  }

  /**
   * Makes a draft final (idempotent). Refused with `CONFLICT` while the period is still running,
   * and when the draft no longer recomputes (usage or prices changed since): draft again first.
   */
  async finalize(context: RequestContext, id: InvoiceId, options?: CallOptions): Promise<Invoice> {
    requirePermission(context.actor, 'billing:manage')
    const scope = scopeOf(context)
    const invoice = await this.#require(scope, id, options)
    if (invoice.status === 'final') return invoice
    const now = this.#clock.now()
    const { end } = periodRange(invoice.period)
    if (end > now) {
      throw new CoreError(
        'CONFLICT',
        `The period ${invoice.period} runs until ${end.toISOString()}: finalize its invoice after that.`,
        { details: { period: invoice.period } },
      )
    }
    const computed = await this.#compute(scope, invoice.period, options)
    if (computed.digest !== invoice.digest) {
      throw new CoreError(
        'CONFLICT',
        `Invoice ${id} no longer matches its period (${invoice.eventCount} events when drafted, ${computed.totals.events} now, or another price book): draft ${invoice.period} again, check it, then finalize.`,
        { details: { period: invoice.period, storedDigest: invoice.digest, digest: computed.digest } },
      )
    }
    const final = await this.#stores.invoices.finalize(scope, id, now, options)
    if (!final) throw notFound(id)
    await this.#audit.record(
      scope,
      context,
      {
        action: 'invoice.finalize',
        resourceType: 'invoice',
        resourceId: id,
        details: { period: final.period, total: final.total, digest: final.digest },
      },
      options,
    )
    return final
  }

  /** Recomputes the invoice from the events billed in its period and compares. `billing:view`. */
  async verify(context: RequestContext, id: InvoiceId, options?: CallOptions): Promise<InvoiceVerification> {
    requirePermission(context.actor, 'billing:view')
    const scope = scopeOf(context)
    const invoice = await this.#require(scope, id, options)
    // A final invoice is checked against the book it was priced with (a later plan change does not
    // reprice a closed period); a draft against the book a new draft would use.
    const storedBook =
      invoice.status === 'final' ? await this.#priceBooks.find(invoice.priceBookId, options) : null
    const { book, totals, calculation, digest } = await this.#compute(
      scope,
      invoice.period,
      options,
      storedBook,
    )
    const stored = figures(invoice)
    const recomputed: InvoiceFigures = {
      digest,
      total: calculation.total,
      eventCount: totals.events,
      priceBookId: book.id,
      priceBookVersion: book.version,
    }
    const differences: string[] = []
    if (stored.eventCount !== recomputed.eventCount)
      differences.push(`events: ${stored.eventCount} stored, ${recomputed.eventCount} now`)
    if (
      stored.priceBookId !== recomputed.priceBookId ||
      stored.priceBookVersion !== recomputed.priceBookVersion
    )
      differences.push(
        `price book: v${stored.priceBookVersion} stored, v${recomputed.priceBookVersion} in force`,
      )
    if (stored.total !== recomputed.total)
      differences.push(`total: ${stored.total} stored, ${recomputed.total} now`)
    if (!sameLines(invoice.lines, calculation.lines)) differences.push('lines differ')
    if (stored.digest !== recomputed.digest && differences.length === 0)
      differences.push('digest differs: the same number of events, but other events or quantities')
    return {
      invoiceId: invoice.id,
      period: invoice.period,
      status: invoice.status,
      matches: differences.length === 0 && stored.digest === recomputed.digest,
      stored,
      recomputed,
      differences,
    }
  }

  /** Prices the period with `book`, or with the company plan's book in force at the period start. */
  async #compute(
    scope: TenantScope,
    period: string,
    options?: CallOptions,
    priceBook: PriceBook | null = null,
  ): Promise<Computed> {
    let book = priceBook
    if (!book) {
      const company = await this.#stores.companies.get(scope, options)
      if (!company) throw new CoreError('NOT_FOUND', 'This company does not exist.')
      book = await this.#priceBooks.requireInForce(company.planId, periodRange(period).start, options)
    }
    const totals = await this.#stores.usage.periodTotals(scope, period, options)
    const calculation = calculateInvoice(book, totals.groups)
    const digest = invoiceDigest({
      companyId: scope.companyId,
      period,
      priceBook: book,
      usageDigest: totals.digest,
    })
    return { book, totals, calculation, digest }
  }

  async #require(scope: TenantScope, id: InvoiceId, options?: CallOptions): Promise<Invoice> {
    const invoice = await this.#stores.invoices.get(scope, id, options)
    if (!invoice) throw notFound(id)
    return invoice
  }

  #requireStartedPeriod(period: string): void {
    const issue = !isBillingPeriod(period)
      ? 'must be a month as YYYY-MM, e.g. 2026-11'
      : periodRange(period).start > this.#clock.now()
        ? 'has not started yet'
        : null
    if (issue === null) return
    throw new CoreError('INVALID_INPUT', `Invoice period is invalid: period ${issue}.`, {
      details: { issues: [{ path: 'period', message: issue }] },
    })
  }
}

const LINE_FIELDS = [
  'meter',
  'model',
  'description',
  'quantity',
  'includedQuantity',
  'billableQuantity',
  'unitPriceMicros',
  'per',
  'amount',
] as const satisfies readonly (keyof InvoiceLine)[]

/** Field by field: stored lines may come back with their keys in another order (JSONB). */
function sameLines(left: readonly InvoiceLine[], right: readonly InvoiceLine[]): boolean {
  return (
    left.length === right.length &&
    left.every((line, index) => LINE_FIELDS.every((field) => line[field] === right[index]?.[field]))
  )
}

function figures(invoice: Invoice): InvoiceFigures {
  const { digest, total, eventCount, priceBookId, priceBookVersion } = invoice
  return { digest, total, eventCount, priceBookId, priceBookVersion }
}

function notFound(id: InvoiceId): CoreError {
  return new CoreError('NOT_FOUND', `Invoice ${id} not found in this company.`)
}

function finalConflict(period: string): CoreError {
  return new CoreError(
    'CONFLICT',
    `The invoice for ${period} is final and cannot be drafted again; usage that arrives late bills in a later period.`,
    { details: { period } },
  )
}
