import type { CallOptions, Clock, IdGenerator, PriceBook, PriceBookId, Stores } from '@agentry/contracts'
import { billingPeriodOf, CoreError, periodRange, systemScope } from '@agentry/contracts'
import type { RequestContext } from '../request-context.js'
import { requirePermission, requirePlatformActor, scopeOf } from '../tenancy/permissions.js'
import { DEFAULT_PLAN_ID, defaultPriceBook } from './default-price-book.js'
import { type CreatePriceBookInput, parsePriceBookInput } from './price-book-input.js'

const SYSTEM = systemScope('price books')

/**
 * Price books: platform-wide, versioned per plan. The platform admin lists, reads and adds
 * versions; a company reads the book of its own plan in force now. The `default` plan's first
 * version is seeded on demand (idempotently, by every replica alike).
 */
export class PriceBookService {
  readonly #stores: Pick<Stores, 'priceBooks' | 'companies'>
  readonly #clock: Clock
  readonly #ids: IdGenerator
  #hasDefault = false

  constructor(stores: Pick<Stores, 'priceBooks' | 'companies'>, clock: Clock, ids: IdGenerator) {
    this.#stores = stores
    this.#clock = clock
    this.#ids = ids
  }

  /** Newest version first; every plan when `planId` is absent. Platform admin only. */
  async list(context: RequestContext, planId?: string, options?: CallOptions): Promise<readonly PriceBook[]> {
    requirePlatformActor(context.actor, 'list price books')
    await this.ensureDefault(options)
    return this.#stores.priceBooks.list(SYSTEM, planId, options)
  }

  async get(context: RequestContext, id: PriceBookId, options?: CallOptions): Promise<PriceBook> {
    requirePlatformActor(context.actor, 'read price books')
    const book = await this.#stores.priceBooks.get(SYSTEM, id, options)
    if (!book) throw new CoreError('NOT_FOUND', `Price book ${id} not found.`)
    return book
  }

  /** Adds the plan's next version (1 for a new plan). `effectiveFrom` may not reprice past months. */
  async create(
    context: RequestContext,
    input: CreatePriceBookInput,
    options?: CallOptions,
  ): Promise<PriceBook> {
    requirePlatformActor(context.actor, 'create price books')
    const now = this.#clock.now()
    const draft = parsePriceBookInput(input, periodRange(billingPeriodOf(now)).start)
    const [latest] = await this.#stores.priceBooks.list(SYSTEM, draft.planId, options)
    try {
      return await this.#stores.priceBooks.create(
        SYSTEM,
        {
          ...draft,
          id: this.#ids.next() as PriceBookId,
          version: (latest?.version ?? 0) + 1,
          createdAt: now,
        },
        options,
      )
    } catch (error) {
      if (!CoreError.hasCode(error, 'CONFLICT')) throw error
      throw new CoreError(
        'CONFLICT',
        `Another version of plan ${draft.planId} was created at the same time: list the plan's versions and try again.`,
        { cause: error },
      )
    }
  }

  /** The book of the caller's company plan in force now (`billing:view`). */
  async current(context: RequestContext, options?: CallOptions): Promise<PriceBook> {
    requirePermission(context.actor, 'billing:view')
    const company = await this.#stores.companies.get(scopeOf(context), options)
    if (!company) throw new CoreError('NOT_FOUND', 'This company does not exist.')
    return this.requireInForce(company.planId, this.#clock.now(), options)
  }

  /** A version by id, for internal use (no permission check); null when it does not exist. */
  find(id: PriceBookId, options?: CallOptions): Promise<PriceBook | null> {
    return this.#stores.priceBooks.get(SYSTEM, id, options)
  }

  /** The version of `planId` in force at `at`, or `NOT_FOUND` saying how to add one. */
  async requireInForce(planId: string, at: Date, options?: CallOptions): Promise<PriceBook> {
    let book = await this.#stores.priceBooks.inForce(SYSTEM, planId, at, options)
    if (!book && planId === DEFAULT_PLAN_ID) {
      await this.ensureDefault(options)
      book = await this.#stores.priceBooks.inForce(SYSTEM, planId, at, options)
    }
    if (!book) {
      throw new CoreError(
        'NOT_FOUND',
        `Plan "${planId}" has no price book in force at ${at.toISOString()}: create a version with an earlier effectiveFrom (POST /api/v1/price-books) or move the company to another plan.`,
        { details: { planId, at: at.toISOString() } },
      )
    }
    return book
  }

  /** Seeds version 1 of the `default` plan when the plan has no version yet. Safe to race. */
  async ensureDefault(options?: CallOptions): Promise<void> {
    if (this.#hasDefault) return
    const existing = await this.#stores.priceBooks.list(SYSTEM, DEFAULT_PLAN_ID, options)
    if (existing.length === 0) {
      try {
        await this.#stores.priceBooks.create(SYSTEM, defaultPriceBook(this.#clock.now()), options)
      } catch (error) {
        if (!CoreError.hasCode(error, 'CONFLICT')) throw error
      }
    }
    this.#hasDefault = true
  }
}
