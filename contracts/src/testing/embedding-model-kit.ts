import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EmbeddingModel } from '../ports/embedding-model.js'
import { expectCancelled } from './chat-model-kit-checks.js'
import type { KitOptions } from './kit-options.js'
import { kitTest } from './kit-test.js'

/**
 * How an adapter runs `describeEmbeddingModel`: `create` is called once for the file, `cleanup`
 * after the last test.
 */
export interface EmbeddingModelKitOptions extends KitOptions<EmbeddingModel> {
  /**
   * True when the same text always gives the same vector, whatever else is in the batch (the port
   * asks this of deterministic models). The determinism tests are skipped otherwise. Default false.
   */
  readonly isDeterministic?: boolean
}

const RELATED_A = 'How do I reset my account password?'
const RELATED_B = 'Resetting the password of your account takes two minutes.'
const UNRELATED = 'The quarterly shipping volume of frozen fish grew in Norway.'

function cosine(left: Float32Array, right: Float32Array): number {
  let dot = 0
  let leftNorm = 0
  let rightNorm = 0
  for (let index = 0; index < left.length; index++) {
    const a = left[index] ?? 0
    const b = right[index] ?? 0
    dot += a * b
    leftNorm += a * a
    rightNorm += b * b
  }
  return dot / Math.sqrt(leftNorm * rightNorm)
}

/** The conformance kit of the `EmbeddingModel` port. */
export function describeEmbeddingModel(options: EmbeddingModelKitOptions): void {
  const test = (title: string, fn: () => Promise<void> | void) => kitTest(options.skip, title, fn)
  const deterministicTest = (title: string, fn: () => Promise<void>) => {
    if (options.isDeterministic) test(title, fn)
    else it.skip(`${title} (skipped: the adapter does not declare isDeterministic)`, fn)
  }

  describe(`EmbeddingModel kit: ${options.name}`, () => {
    let model: EmbeddingModel
    beforeAll(async () => {
      model = await options.create()
    })
    afterAll(async () => {
      if (model) await options.cleanup?.(model)
    })

    test('declares provider, modelId, dimensions and maxBatchSize', () => {
      expect(model.provider).toMatch(/^[a-z0-9-]+$/)
      expect(model.modelId.length).toBeGreaterThan(0)
      expect(Number.isInteger(model.dimensions) && model.dimensions > 0).toBe(true)
      expect(Number.isInteger(model.maxBatchSize) && model.maxBatchSize > 0).toBe(true)
    })

    test('returns one finite, non-zero vector of length dimensions per text', async () => {
      const texts = [RELATED_A, RELATED_B, UNRELATED]
      const result = await model.embed(texts)
      expect(result.vectors).toHaveLength(texts.length)
      for (const vector of result.vectors) {
        expect(vector).toBeInstanceOf(Float32Array)
        expect(vector.length).toBe(model.dimensions)
        expect(vector.every(Number.isFinite), 'every component is finite').toBe(true)
        expect(
          vector.some((value) => value !== 0),
          'the vector is not all zeros',
        ).toBe(true)
      }
    })

    test('returns the vectors in input order', async () => {
      const forward = await model.embed([RELATED_A, UNRELATED])
      const backward = await model.embed([UNRELATED, RELATED_A])
      const [first] = forward.vectors
      const [, last] = backward.vectors
      const [unrelated] = backward.vectors
      expect(cosine(first!, last!)).toBeGreaterThan(cosine(first!, unrelated!))
    })

    test('embeds queries and documents alike in shape', async () => {
      const query = await model.embed([RELATED_A], { purpose: 'query' })
      const document = await model.embed([RELATED_A], { purpose: 'document' })
      expect(query.vectors[0]?.length).toBe(model.dimensions)
      expect(document.vectors[0]?.length).toBe(model.dimensions)
    })

    test('an empty input gives an empty result', async () => {
      const result = await model.embed([])
      expect(result.vectors).toEqual([])
      expect(result.usage.tokens).toBe(0)
    })

    test('accepts a batch of maxBatchSize texts', async () => {
      const texts = Array.from(
        { length: model.maxBatchSize },
        (_, index) => `Document number ${index} of the batch.`,
      )
      const result = await model.embed(texts)
      expect(result.vectors).toHaveLength(model.maxBatchSize)
      expect(result.vectors.every((vector) => vector.length === model.dimensions)).toBe(true)
    })

    test('reports usage tokens as a non-negative integer, positive for text', async () => {
      const result = await model.embed([RELATED_A, UNRELATED])
      expect(Number.isInteger(result.usage.tokens)).toBe(true)
      expect(result.usage.tokens).toBeGreaterThan(0)
    })

    test('texts sharing words are closer than unrelated texts', async () => {
      const [a, b, unrelated] = (await model.embed([RELATED_A, RELATED_B, UNRELATED])).vectors
      expect(cosine(a!, b!)).toBeGreaterThan(cosine(a!, unrelated!))
      expect(cosine(a!, b!)).toBeGreaterThan(cosine(b!, unrelated!))
    })

    deterministicTest('the same text gives the same vector', async () => {
      const first = await model.embed([RELATED_A, RELATED_A])
      const second = await model.embed([RELATED_A])
      expect(Array.from(first.vectors[0]!)).toEqual(Array.from(first.vectors[1]!))
      expect(Array.from(first.vectors[0]!)).toEqual(Array.from(second.vectors[0]!))
    })

    deterministicTest('a vector does not depend on the rest of the batch', async () => {
      const alone = await model.embed([UNRELATED])
      const inBatch = await model.embed([RELATED_A, UNRELATED, RELATED_B])
      expect(Array.from(inBatch.vectors[1]!)).toEqual(Array.from(alone.vectors[0]!))
    })

    test('rejects with CANCELLED when the signal is already aborted', async () => {
      await expectCancelled(model.embed([RELATED_A], { signal: AbortSignal.abort() }))
    })
  })
}
