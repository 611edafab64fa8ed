import type { CallOptions, PriceBook, PriceBookId, PriceBookStore, SystemScope } from '@agentry/contracts'
import type { UnitOfWork } from '../postgres-unit-of-work.js'
import { priceBookRow, toPriceBook } from '../rows/billing-rows.js'

/** Platform-wide price books: only system-scope work reads or writes them. */
export class PostgresPriceBookStore implements PriceBookStore {
  readonly #work: UnitOfWork

  constructor(work: UnitOfWork) {
    this.#work = work
  }

  async create(scope: SystemScope, priceBook: PriceBook, options?: CallOptions): Promise<PriceBook> {
    return this.#work.withSystem(
      scope,
      'price book create',
      async (db) =>
        toPriceBook(
          await db
            .insertInto('price_books')
            .values(priceBookRow(priceBook))
            .returningAll()
            .executeTakeFirstOrThrow(),
        ),
      options,
    )
  }

  async get(scope: SystemScope, id: PriceBookId, options?: CallOptions): Promise<PriceBook | null> {
    return this.#work.withSystem(
      scope,
      'price book get',
      async (db) => {
        const row = await db.selectFrom('price_books').selectAll().where('id', '=', id).executeTakeFirst()
        return row ? toPriceBook(row) : null
      },
      options,
    )
  }

  async list(scope: SystemScope, planId?: string, options?: CallOptions): Promise<readonly PriceBook[]> {
    return this.#work.withSystem(
      scope,
      'price book list',
      async (db) => {
        let query = db.selectFrom('price_books').selectAll()
        if (planId !== undefined) query = query.where('plan_id', '=', planId)
        const rows = await query.orderBy('version', 'desc').orderBy('plan_id').execute()
        return rows.map(toPriceBook)
      },
      options,
    )
  }

  async inForce(
    scope: SystemScope,
    planId: string,
    at: Date,
    options?: CallOptions,
  ): Promise<PriceBook | null> {
    return this.#work.withSystem(
      scope,
      'price book in force',
      async (db) => {
        const row = await db
          .selectFrom('price_books')
          .selectAll()
          .where('plan_id', '=', planId)
          .where('effective_from', '<=', at)
          .orderBy('effective_from', 'desc')
          .orderBy('version', 'desc')
          .limit(1)
          .executeTakeFirst()
        return row ? toPriceBook(row) : null
      },
      options,
    )
  }
}
