import type {
  CallOptions,
  Clock,
  CompanyId,
  Job,
  JobHandler,
  JobQueue,
  JsonValue,
  PriceBook,
  Stores,
} from '@agentry/contracts'
import { billingPeriodOf, CoreError, isBillingPeriod, periodRange, systemScope } from '@agentry/contracts'
import type { RequestContext } from '../request-context.js'
import type { DraftOutcome, InvoiceService } from './invoice-service.js'
import type { PriceBookService } from './price-book-service.js'

/**
 * The platform job that drafts every company's invoice for a period: payload `{ period }`, or `{}`
 * for the month before the current one (what a cron schedule sends).
 */
export const MONTHLY_BILLING_JOB = 'billing.monthly'
/** One company's draft, fanned out by the monthly job: company set, payload `{ period }`. */
export const INVOICE_DRAFT_JOB = 'billing.invoice-draft'

const SYSTEM = systemScope('monthly billing run')

/** The period before `period` (`2026-01` -> `2025-12`). */
export function previousBillingPeriod(period: string): string {
  return billingPeriodOf(new Date(periodRange(period).start.getTime() - 1))
}

/**
 * The monthly billing run (docs/billing.md). `enqueueFor` puts `billing.monthly` for the month
 * just ended on the queue with an idempotency key per period, so a scheduler may call it as often
 * as it likes; the job enqueues one `billing.invoice-draft` per company (idempotent per company and
 * period), and each draft is itself idempotent: running everything twice changes nothing.
 */
export class MonthlyBilling {
  readonly #stores: Pick<Stores, 'usage' | 'companies'>
  readonly #invoices: InvoiceService
  readonly #priceBooks: PriceBookService
  readonly #clock: Clock

  constructor(
    stores: Pick<Stores, 'usage' | 'companies'>,
    invoices: InvoiceService,
    priceBooks: PriceBookService,
    clock: Clock,
  ) {
    this.#stores = stores
    this.#invoices = invoices
    this.#priceBooks = priceBooks
    this.#clock = clock
  }

  /** Enqueues the run for the month before the current one (or `period`). Safe to repeat. */
  enqueueFor(queue: JobQueue, period?: string, options?: CallOptions): Promise<Job> {
    const target = period ?? previousBillingPeriod(billingPeriodOf(this.#clock.now()))
    return queue.enqueue(
      { kind: MONTHLY_BILLING_JOB, companyId: null, payload: { period: target } },
      {
        idempotencyKey: `${MONTHLY_BILLING_JOB}:${target}`,
        ...(options?.signal ? { signal: options.signal } : {}),
      },
    )
  }

  /** The job handlers by kind, for a worker to register: the run fans out on `queue`. */
  handlers(queue: JobQueue): Readonly<Record<string, JobHandler>> {
    return {
      [MONTHLY_BILLING_JOB]: async (job) => {
        // A cron schedule sends no period: it means the month just ended.
        const period =
          (job.payload as { period?: unknown } | null)?.period === undefined
            ? previousBillingPeriod(billingPeriodOf(this.#clock.now()))
            : readPeriod(job.payload)
        const companies = await this.companiesToBill(period, { signal: job.signal })
        for (const companyId of companies) {
          await queue.enqueue(
            { kind: INVOICE_DRAFT_JOB, companyId, payload: { period } },
            { idempotencyKey: `${INVOICE_DRAFT_JOB}:${period}`, signal: job.signal },
          )
        }
        return { period, companies: companies.length }
      },
      [INVOICE_DRAFT_JOB]: async (job): Promise<JsonValue> => {
        if (job.companyId === null)
          throw new CoreError('INVALID_INPUT', `${INVOICE_DRAFT_JOB} needs a company.`)
        const period = readPeriod(job.payload)
        const outcome = await this.draftCompany(job.companyId, period, { signal: job.signal })
        if (!outcome) return { period, change: 'final' }
        return { period, invoiceId: outcome.invoice.id, change: outcome.change, total: outcome.invoice.total }
      },
    }
  }

  /** Companies with usage billed in `period`, and those whose plan charges a base fee for it. */
  async companiesToBill(period: string, options?: CallOptions): Promise<readonly CompanyId[]> {
    const companies = new Set(await this.#stores.usage.companiesWithUsage(SYSTEM, period, options))
    const { start, end } = periodRange(period)
    const books = new Map<string, PriceBook | null>()
    let cursor: string | null = null
    do {
      const page = await this.#stores.companies.list(SYSTEM, { limit: 200, cursor }, options)
      for (const company of page.items) {
        if (company.createdAt >= end || companies.has(company.id)) continue
        if (!books.has(company.planId))
          books.set(company.planId, await this.#bookOrNull(company.planId, start))
        if ((books.get(company.planId)?.baseFeeMicros ?? 0) > 0) companies.add(company.id)
      }
      cursor = page.nextCursor
    } while (cursor !== null)
    return [...companies].sort()
  }

  /** Drafts one company's period as the system; null when that invoice is already final. */
  async draftCompany(
    companyId: CompanyId,
    period: string,
    options?: CallOptions,
  ): Promise<DraftOutcome | null> {
    const context: RequestContext = { actor: { type: 'system', reason: MONTHLY_BILLING_JOB }, companyId }
    try {
      return await this.#invoices.draft(context, period, options)
    } catch (error) {
      if (CoreError.hasCode(error, 'CONFLICT') && error.details?.period === period) return null
      throw error
    }
  }

  async #bookOrNull(planId: string, at: Date): Promise<PriceBook | null> {
    try {
      return await this.#priceBooks.requireInForce(planId, at)
    } catch (error) {
      if (CoreError.hasCode(error, 'NOT_FOUND')) return null
      throw error
    }
  }
}

function readPeriod(payload: unknown): string {
  const period = (payload as { period?: unknown } | null)?.period
  if (!isBillingPeriod(period)) {
    throw new CoreError('INVALID_INPUT', 'A billing job needs payload.period as YYYY-MM.', {
      isRetryable: false,
    })
  }
  return period
}
