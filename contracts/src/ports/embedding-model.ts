import type { CallOptions } from '../common.js'

export interface EmbedOptions extends CallOptions {
  /** Some models embed queries and documents differently; others ignore this. */
  readonly purpose?: 'document' | 'query'
}

export interface EmbeddingResult {
  /** One vector per input text, in input order, each of length `dimensions`. */
  readonly vectors: readonly Float32Array[]
  readonly usage: { readonly tokens: number }
}

/**
 * Turns texts into vectors. `embed` accepts at most `maxBatchSize` texts (callers batch); the same
 * text always gives the same vector for deterministic models. An empty input gives an empty result.
 * Errors as for `ChatModel`.
 */
export interface EmbeddingModel {
  readonly provider: string
  readonly modelId: string
  readonly dimensions: number
  readonly maxBatchSize: number
  embed(texts: readonly string[], options?: EmbedOptions): Promise<EmbeddingResult>
}
