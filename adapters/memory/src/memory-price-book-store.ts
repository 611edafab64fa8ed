import {
  type CallOptions,
  CoreError,
  type PriceBook,
  type PriceBookId,
  type PriceBookStore,
  type SystemScope,
} from '@agentry/contracts'
import { throwIfAborted } from './abort.js'
import type { MemoryDatabase } from './memory-database.js'

export class MemoryPriceBookStore implements PriceBookStore {
  constructor(private readonly database: MemoryDatabase) {}

  async create(_scope: SystemScope, priceBook: PriceBook, options?: CallOptions): Promise<PriceBook> {
    throwIfAborted(options, 'Creating a price book')
    const books = this.database.priceBooks
    if (books.has(priceBook.id)) throw new CoreError('CONFLICT', `Price book ${priceBook.id} already exists`)
    const taken = [...books.values()].some(
      (book) => book.planId === priceBook.planId && book.version === priceBook.version,
    )
    if (taken) {
      throw new CoreError(
        'CONFLICT',
        `Plan ${priceBook.planId} already has price book version ${priceBook.version}`,
      )
    }
    books.set(priceBook.id, structuredClone(priceBook))
    return structuredClone(priceBook)
  }

  async get(_scope: SystemScope, id: PriceBookId, options?: CallOptions): Promise<PriceBook | null> {
    throwIfAborted(options, 'Reading a price book')
    const book = this.database.priceBooks.get(id)
    return book ? structuredClone(book) : null
  }

  async list(_scope: SystemScope, planId?: string, options?: CallOptions): Promise<readonly PriceBook[]> {
    throwIfAborted(options, 'Listing price books')
    const books = [...this.database.priceBooks.values()].filter(
      (book) => planId === undefined || book.planId === planId,
    )
    books.sort((left, right) => right.version - left.version || (left.planId < right.planId ? -1 : 1))
    return structuredClone(books)
  }

  async inForce(
    _scope: SystemScope,
    planId: string,
    at: Date,
    options?: CallOptions,
  ): Promise<PriceBook | null> {
    throwIfAborted(options, 'Finding the price book in force')
    let best: PriceBook | null = null
    for (const book of this.database.priceBooks.values()) {
      if (book.planId !== planId || book.effectiveFrom > at) continue
      const isLater =
        best === null ||
        book.effectiveFrom > best.effectiveFrom ||
        (book.effectiveFrom.getTime() === best.effectiveFrom.getTime() && book.version > best.version)
      if (isLater) best = book
    }
    return best ? structuredClone(best) : null
  }
}
