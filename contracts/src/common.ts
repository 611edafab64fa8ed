/** Options every async port member accepts. An aborted signal rejects with CoreError `CANCELLED`. */
export interface CallOptions {
  readonly signal?: AbortSignal
}

/** Anything that holds connections, timers or workers. `close()` is idempotent. */
export interface Closeable {
  close(): Promise<void>
}

/**
 * Keyset pagination. `cursor` is opaque: pass back the `nextCursor` of the previous page.
 * `limit` defaults to 50 and is capped at 200 by every store.
 */
export interface PageRequest {
  readonly limit?: number
  readonly cursor?: string | null
}

export interface Page<T> {
  readonly items: readonly T[]
  /** `null` on the last page. */
  readonly nextCursor: string | null
}

export const DEFAULT_PAGE_LIMIT = 50
export const MAX_PAGE_LIMIT = 200

/** A JSON value as stored in JSONB columns and sent over the API. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue }

/** A JSON Schema document (draft 2020-12), kept as plain data. */
export type JsonSchema = { readonly [key: string]: JsonValue }
