import type { EmbeddingModel, EmbeddingResult, EmbedOptions, Tokenizer } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import { throwIfAborted } from './abortable-delay.js'
import { hashString } from './stable-hash.js'
import { STOPWORDS, stem, wordsOf } from './text-features.js'

export interface LexicalEmbeddingModelOptions {
  readonly dimensions: number
  readonly maxBatchSize: number
  readonly tokenizer: Tokenizer
}

/** Relative weight of each feature family; words dominate, character n-grams catch word variants. */
const WORD_WEIGHT = 1
const STOPWORD_WEIGHT = 0.15
const BIGRAM_WEIGHT = 0.6
const CHAR_GRAM_WEIGHT = 0.2
const CHAR_GRAM_SIZES = [3, 4, 5]
const SIGN_SEED = 0x9e3779b9

/**
 * Offline, deterministic embeddings from hashed lexical features: word unigrams (stemmed; stopwords
 * kept at a low weight), bigrams of content words and character 3-5-grams within content words,
 * each weighted by sublinear term frequency (1 + ln tf), signed-hashed into `dimensions` buckets and
 * L2-normalised. Texts that share words or word parts score clearly higher than unrelated texts; it
 * knows nothing of synonyms or meaning. `purpose` is ignored (queries and documents embed alike).
 * A text without letters or digits gets one fixed unit vector, so no vector is ever all zeros.
 */
export class LexicalEmbeddingModel implements EmbeddingModel {
  readonly provider = 'local'
  readonly modelId = 'lexical-v1'
  readonly dimensions: number
  readonly maxBatchSize: number
  readonly #tokenizer: Tokenizer

  constructor(options: LexicalEmbeddingModelOptions) {
    this.dimensions = options.dimensions
    this.maxBatchSize = options.maxBatchSize
    this.#tokenizer = options.tokenizer
  }

  async embed(texts: readonly string[], options?: EmbedOptions): Promise<EmbeddingResult> {
    throwIfAborted(options?.signal)
    if (texts.length > this.maxBatchSize) {
      throw new CoreError(
        'INVALID_INPUT',
        `embed got ${texts.length} texts but accepts at most ${this.maxBatchSize} (maxBatchSize): split them into batches.`,
        { details: { count: texts.length, maxBatchSize: this.maxBatchSize } },
      )
    }
    const vectors: Float32Array[] = []
    let tokens = 0
    for (const text of texts) {
      throwIfAborted(options?.signal)
      vectors.push(this.vectorOf(text))
      tokens += this.#tokenizer.count(text)
    }
    return { vectors, usage: { tokens } }
  }

  /** The embedding of one text. */
  vectorOf(text: string): Float32Array {
    const vector = new Float32Array(this.dimensions)
    const features = featuresOf(text)
    if (features.size === 0) features.set('empty:', 1)
    for (const [feature, weight] of features) {
      const hash = hashString(feature)
      const sign = hashString(feature, SIGN_SEED) & 1 ? 1 : -1
      const bucket = hash % this.dimensions
      vector[bucket] = (vector[bucket] ?? 0) + sign * weight
    }
    let norm = 0
    for (const value of vector) norm += value * value
    norm = Math.sqrt(norm)
    if (norm > 0)
      for (let index = 0; index < vector.length; index++) vector[index] = (vector[index] ?? 0) / norm
    return vector
  }
}

/** Feature name -> weight (sublinear tf times the family weight). */
function featuresOf(text: string): Map<string, number> {
  const counts = new Map<string, { count: number; weight: number }>()
  const add = (feature: string, weight: number) => {
    const entry = counts.get(feature)
    if (entry) entry.count++
    else counts.set(feature, { count: 1, weight })
  }
  let previous: string | undefined
  for (const word of wordsOf(text)) {
    const wordStem = stem(word)
    if (STOPWORDS.has(word) || STOPWORDS.has(wordStem)) {
      add(`w:${wordStem}`, STOPWORD_WEIGHT)
      continue
    }
    add(`w:${wordStem}`, WORD_WEIGHT)
    if (previous !== undefined) add(`b:${previous} ${wordStem}`, BIGRAM_WEIGHT)
    previous = wordStem
    const padded = `<${word}>`
    for (const size of CHAR_GRAM_SIZES) {
      for (let start = 0; start + size <= padded.length; start++) {
        add(`c:${padded.slice(start, start + size)}`, CHAR_GRAM_WEIGHT)
      }
    }
  }
  const features = new Map<string, number>()
  for (const [feature, { count, weight }] of counts) features.set(feature, weight * (1 + Math.log(count)))
  return features
}
