import type { CallOptions, DocumentId, DocumentStore, TenantScope } from '@agentry/contracts'

/**
 * Document titles for citations, with a bounded least-recently-used cache. A title never changes
 * once the document is stored (the store has no way to rename one), and a deleted document's chunks
 * go with it, so a cached title is never wrong for a chunk that still exists. Misses are read at
 * once, in parallel.
 */
export class DocumentTitles {
  readonly #documents: Pick<DocumentStore, 'get'>
  readonly #capacity: number
  readonly #cache = new Map<string, string>()

  constructor(documents: Pick<DocumentStore, 'get'>, capacity = 10_000) {
    this.#documents = documents
    this.#capacity = capacity
  }

  /** The titles of the documents that exist, by id. */
  async of(
    scope: TenantScope,
    ids: readonly DocumentId[],
    options?: CallOptions,
  ): Promise<Map<DocumentId, string>> {
    const titles = new Map<DocumentId, string>()
    const missing: DocumentId[] = []
    for (const id of new Set(ids)) {
      const key = `${scope.companyId}/${id}`
      const title = this.#cache.get(key)
      if (title === undefined) {
        missing.push(id)
        continue
      }
      this.#cache.delete(key)
      this.#cache.set(key, title)
      titles.set(id, title)
    }
    const found = await Promise.all(missing.map((id) => this.#documents.get(scope, id, options)))
    for (const document of found) {
      if (!document) continue
      titles.set(document.id, document.title)
      this.#cache.set(`${scope.companyId}/${document.id}`, document.title)
      if (this.#cache.size > this.#capacity) this.#cache.delete(this.#cache.keys().next().value!)
    }
    return titles
  }
}
