import type { EmbeddingModel, EmbeddingResult, EmbedOptions } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import type { Embeddings } from 'openai/resources/embeddings'
import type { OpenAIConfig } from './openai-config.js'
import { cancelled, type OpenAIErrorContext, toCoreError } from './openai-errors.js'

/** The one SDK method this model calls. */
export interface OpenAIEmbeddingsClient {
  readonly embeddings: Pick<Embeddings, 'create'>
}

/** Full vector sizes of OpenAI's embedding models; others need `embeddingDimensions`. */
const MODEL_DIMENSIONS: Readonly<Record<string, number>> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
}

export interface OpenAIEmbeddingModelOptions {
  readonly client: OpenAIEmbeddingsClient
  readonly modelId: string
  readonly config: OpenAIConfig
  readonly keySource?: 'company' | 'platform'
  readonly settings: OpenAIErrorContext['settings']
}

/**
 * `EmbeddingModel` on OpenAI's embeddings endpoint (text-embedding-3 small and large). With
 * `embeddingDimensions` set it asks for shortened vectors (`dimensions`). Purpose is ignored: these
 * models embed queries and documents alike.
 */
export class OpenAIEmbeddingModel implements EmbeddingModel {
  readonly provider: string
  readonly modelId: string
  readonly dimensions: number
  readonly maxBatchSize: number
  private readonly client: OpenAIEmbeddingsClient
  private readonly requestedDimensions: number | undefined
  private readonly context: Omit<OpenAIErrorContext, 'signal'>

  constructor(options: OpenAIEmbeddingModelOptions) {
    const { config } = options
    const dimensions = config.embeddingDimensions ?? MODEL_DIMENSIONS[options.modelId]
    if (dimensions === undefined) {
      throw new CoreError(
        'INVALID_INPUT',
        `The vector size of embedding model "${options.modelId}" is unknown: set embeddingDimensions.`,
      )
    }
    this.client = options.client
    this.provider = config.provider
    this.modelId = options.modelId
    this.dimensions = dimensions
    this.requestedDimensions = config.embeddingDimensions
    this.maxBatchSize = config.embeddingBatchSize
    this.context = {
      label: config.provider === 'openai' ? 'OpenAI' : config.provider,
      provider: config.provider,
      keySource: options.keySource ?? 'platform',
      settings: options.settings,
      timeoutMs: config.timeoutMs,
    }
  }

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<EmbeddingResult> {
    const { signal } = options
    if (signal?.aborted) throw cancelled(signal.reason)
    if (texts.length === 0) return { vectors: [], usage: { tokens: 0 } }
    if (texts.length > this.maxBatchSize) {
      throw new CoreError(
        'INVALID_INPUT',
        `Got ${texts.length} texts to embed; this model takes at most ${this.maxBatchSize} per call: batch them.`,
        { details: { count: texts.length, maxBatchSize: this.maxBatchSize } },
      )
    }
    let response: Awaited<ReturnType<Embeddings['create']>>
    try {
      response = await this.client.embeddings.create(
        {
          model: this.modelId,
          input: [...texts],
          encoding_format: 'float',
          ...(this.requestedDimensions === undefined ? {} : { dimensions: this.requestedDimensions }),
        },
        { signal, maxRetries: 0 },
      )
    } catch (error) {
      throw toCoreError(error, { ...this.context, signal })
    }
    const data = [...(response.data ?? [])].sort((left, right) => left.index - right.index)
    if (data.length !== texts.length || data.some((item) => item.embedding.length !== this.dimensions)) {
      throw new CoreError(
        'UPSTREAM_ERROR',
        `${this.context.label} returned ${data.length} vectors for ${texts.length} texts, or vectors not of size ${this.dimensions}.`,
        { details: { provider: this.provider, model: this.modelId } },
      )
    }
    return {
      vectors: data.map((item) => Float32Array.from(item.embedding)),
      usage: { tokens: response.usage?.prompt_tokens ?? 0 },
    }
  }
}
