import type { VectorFilter } from '@agentry/contracts'
import { type RawBuilder, sql } from 'kysely'

/** True when a list in the filter is empty: the filter matches nothing, so no query is needed. */
export function matchesNothing(filter: VectorFilter): boolean {
  return filter.knowledgeBaseIds?.length === 0 || filter.documentIds?.length === 0
}

/**
 * `AND knowledge_base_id = ANY(...) AND document_id = ANY(...)` for the lists the filter has.
 * The company condition is written by each query (and enforced again by row-level security).
 */
export function filterSql(
  filter: VectorFilter,
  columns: { readonly knowledgeBase: string; readonly document: string },
): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = []
  if (filter.knowledgeBaseIds) {
    parts.push(sql`AND ${sql.ref(columns.knowledgeBase)} = ANY(${[...filter.knowledgeBaseIds]}::uuid[])`)
  }
  if (filter.documentIds) {
    parts.push(sql`AND ${sql.ref(columns.document)} = ANY(${[...filter.documentIds]}::uuid[])`)
  }
  return sql.join(parts, sql` `)
}

/** Groups items by company, keeping the last item of each id (an upsert batch may repeat one). */
export function byCompany<T extends { readonly companyId: string; readonly id: string }>(
  items: readonly T[],
): Map<string, T[]> {
  const latest = new Map<string, T>()
  for (const item of items) {
    const key = `${item.companyId}/${item.id}`
    latest.delete(key)
    latest.set(key, item)
  }
  const groups = new Map<string, T[]>()
  for (const item of latest.values()) {
    const group = groups.get(item.companyId)
    if (group) group.push(item)
    else groups.set(item.companyId, [item])
  }
  return groups
}
