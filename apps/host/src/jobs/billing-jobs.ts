import { INVOICE_DRAFT_JOB, MONTHLY_BILLING_JOB } from '@agentry/core'
import { RedisJobQueue } from '@agentry/redis'
import type { Composition } from '../compose.js'
import type { JobHandlerDefinition } from './job-handlers.js'

/** How often the embedded worker re-enqueues the previous month's run (a no-op once it is known). */
export const MONTHLY_BILLING_CHECK_MS = 60 * 60 * 1000

function handlerOf(composition: Composition, kind: string) {
  const handler = composition.agentry.billing.monthly.handlers(composition.queue)[kind]
  if (!handler) throw new Error(`No billing handler for ${kind}`)
  return handler
}

/**
 * Makes sure the month just ended gets drafted (docs/billing.md). With Redis, a BullMQ cron at 01:00
 * UTC on the 1st; in-process, a timer that enqueues the previous month's run now and every hour
 * (the idempotency key `billing.monthly:<period>` makes repeats no-ops). Both also enqueue once at
 * start, so a run missed while no worker was up still happens.
 */
function scheduleMonthlyBilling(composition: Composition, report: (error: unknown) => void): () => void {
  const { billing } = composition.agentry
  const enqueue = () => {
    billing.priceBooks
      .ensureDefault()
      .then(() => billing.monthly.enqueueFor(composition.queue))
      .catch(report)
  }
  enqueue()
  const queue = composition.queue
  if (queue instanceof RedisJobQueue) {
    queue
      .schedule(
        MONTHLY_BILLING_JOB,
        { pattern: '0 1 1 * *', timezone: 'UTC' },
        { companyId: null, payload: {} },
      )
      .catch(report)
    return () => undefined
  }
  const timer = setInterval(enqueue, MONTHLY_BILLING_CHECK_MS)
  timer.unref()
  return () => clearInterval(timer)
}

/** The monthly run (fans out) and one company's draft. */
export const BILLING_JOBS: readonly JobHandlerDefinition[] = [
  {
    kind: MONTHLY_BILLING_JOB,
    create: (composition) => handlerOf(composition, MONTHLY_BILLING_JOB),
    schedule: scheduleMonthlyBilling,
  },
  {
    kind: INVOICE_DRAFT_JOB,
    concurrency: 2,
    create: (composition) => handlerOf(composition, INVOICE_DRAFT_JOB),
  },
]
