import type { CompanyId } from '@agentry/contracts'

/**
 * Rows partitioned by company, so a read under one company's scope cannot reach another's rows.
 * `get` returns a copy and `set` stores one; `rows` hands out the stored rows for reading inside
 * a store, which copies whatever it returns.
 */
export class TenantTable<T> {
  readonly #partitions = new Map<string, Map<string, T>>()

  get(companyId: CompanyId, key: string): T | undefined {
    const row = this.#partitions.get(companyId)?.get(key)
    return row === undefined ? undefined : structuredClone(row)
  }

  /** The stored row itself; never hand it to a caller. */
  peek(companyId: CompanyId, key: string): T | undefined {
    return this.#partitions.get(companyId)?.get(key)
  }

  has(companyId: CompanyId, key: string): boolean {
    return this.#partitions.get(companyId)?.has(key) ?? false
  }

  set(companyId: CompanyId, key: string, row: T): void {
    let partition = this.#partitions.get(companyId)
    if (!partition) {
      partition = new Map()
      this.#partitions.set(companyId, partition)
    }
    partition.set(key, structuredClone(row))
  }

  delete(companyId: CompanyId, key: string): boolean {
    return this.#partitions.get(companyId)?.delete(key) ?? false
  }

  /** Removes the company's rows that match; returns how many. */
  deleteWhere(companyId: CompanyId, predicate: (row: T) => boolean): number {
    const partition = this.#partitions.get(companyId)
    if (!partition) return 0
    let removed = 0
    for (const [key, row] of partition) {
      if (!predicate(row)) continue
      partition.delete(key)
      removed += 1
    }
    return removed
  }

  /** The company's stored rows (not copies). */
  rows(companyId: CompanyId): T[] {
    return [...(this.#partitions.get(companyId)?.values() ?? [])]
  }

  /** Every company's stored rows (not copies), for the few system-scope reads. */
  *allRows(): Iterable<T> {
    for (const partition of this.#partitions.values()) yield* partition.values()
  }

  clear(): void {
    this.#partitions.clear()
  }
}
