import type { Clock, IdGenerator, Stores, Tokenizer } from '@agentry/contracts'
import type { AuditRecorder } from '../audit/audit-recorder.js'
import { InvoiceService } from './invoice-service.js'
import { MonthlyBilling } from './monthly-billing.js'
import { PriceBookService } from './price-book-service.js'
import { QuotaGuard } from './quota-guard.js'
import { QuotaMeter } from './quota-meter.js'
import { QuotaService } from './quota-service.js'

/** Metering to money: price books, invoices, quotas and the monthly run (docs/billing.md). */
export interface Billing {
  readonly priceBooks: PriceBookService
  readonly invoices: InvoiceService
  readonly quotas: QuotaService
  readonly monthly: MonthlyBilling
  /** The orchestrator's pre-call quota check. */
  readonly guard: QuotaGuard
}

export function createBilling(dependencies: {
  readonly stores: Stores
  readonly audit: AuditRecorder
  readonly tokenizer: Tokenizer
  readonly clock: Clock
  readonly ids: IdGenerator
}): Billing {
  const { stores, audit, clock, ids } = dependencies
  const priceBooks = new PriceBookService(stores, clock, ids)
  const invoices = new InvoiceService(stores, priceBooks, audit, clock, ids)
  const meter = new QuotaMeter(stores, priceBooks, dependencies.tokenizer)
  return {
    priceBooks,
    invoices,
    quotas: new QuotaService(stores, meter, audit, clock, ids),
    monthly: new MonthlyBilling(stores, invoices, priceBooks, clock),
    guard: new QuotaGuard(meter, clock),
  }
}
