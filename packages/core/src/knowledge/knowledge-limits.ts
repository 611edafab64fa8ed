import type { IntakeLimits } from './document-intake.js'

export interface KnowledgeLimits extends IntakeLimits {
  /** Attempts of each `kb.index` job. */
  readonly indexAttempts: number
  /** Wait before the first retry of a failed `kb.index` attempt (doubling after). */
  readonly indexRetryBackoffMs: number
  /** Largest `topK` of the search endpoint. */
  readonly maxSearchTopK: number
}

export const DEFAULT_KNOWLEDGE_LIMITS: KnowledgeLimits = {
  maxDocumentBytes: 20 * 1024 * 1024,
  urlTimeoutMs: 20_000,
  indexAttempts: 3,
  indexRetryBackoffMs: 2000,
  maxSearchTopK: 100,
}
