import { CoreError } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { createLexicalEmbeddingModel, createTokenizer } from './create-local.js'

const tokenizer = createTokenizer()
const model = createLexicalEmbeddingModel({}, { tokenizer })

function cosine(left: Float32Array, right: Float32Array): number {
  return left.reduce((total, value, index) => total + value * (right[index] ?? 0), 0)
}

async function similarity(left: string, right: string): Promise<number> {
  const [a, b] = (await model.embed([left, right])).vectors
  return cosine(a!, b!)
}

describe('LexicalEmbeddingModel', () => {
  it('makes unit-length vectors of the configured dimensions', async () => {
    const small = createLexicalEmbeddingModel({ dimensions: 32 }, { tokenizer })
    const [vector] = (await small.embed(['Billing questions go to the finance team.'])).vectors
    expect(vector).toHaveLength(32)
    expect(Math.sqrt(cosine(vector!, vector!))).toBeCloseTo(1, 5)
  })

  it('scores texts sharing words clearly above unrelated texts', async () => {
    const query = 'How do I reset my account password?'
    const related = await similarity(query, 'To reset the password of an account, open settings.')
    const unrelated = [
      'The quarterly shipping volume of frozen fish grew in Norway.',
      'Our office is closed on public holidays.',
      'Invoices are sent on the first day of the month.',
    ]
    for (const text of unrelated) {
      const score = await similarity(query, text)
      expect(related - score, `"${text}" scored ${score}`).toBeGreaterThan(0.3)
    }
  })

  it('brings word variants together through stemming and character n-grams', async () => {
    expect(await similarity('resetting passwords', 'reset password')).toBeGreaterThan(0.7)
    expect(await similarity('refunded orders', 'order refund')).toBeGreaterThan(0.5)
    expect(await similarity('refunded orders', 'weather forecast')).toBeLessThan(0.2)
  })

  it('ignores case and diacritics', async () => {
    expect(await similarity('Crème Brûlée RECIPE', 'creme brulee recipe')).toBeCloseTo(1, 5)
  })

  it('gives texts without words a fixed unit vector instead of zeros', async () => {
    const { vectors } = await model.embed(['', '!!!'])
    expect(Math.sqrt(cosine(vectors[0]!, vectors[0]!))).toBeCloseTo(1, 5)
    expect(Array.from(vectors[1]!)).toEqual(Array.from(vectors[0]!))
  })

  it('reports the tokenizer count of every text as usage', async () => {
    const texts = ['Hello world.', 'A somewhat longer sentence about embeddings and tokens.']
    const { usage } = await model.embed(texts)
    expect(usage.tokens).toBe(tokenizer.count(texts[0]!) + tokenizer.count(texts[1]!))
  })

  it('rejects a batch larger than maxBatchSize with INVALID_INPUT', async () => {
    const small = createLexicalEmbeddingModel({ maxBatchSize: 2 }, { tokenizer })
    const error = await small.embed(['a', 'b', 'c']).catch((caught: unknown) => caught)
    expect(CoreError.hasCode(error, 'INVALID_INPUT')).toBe(true)
    expect((error as CoreError).message).toContain('at most 2')
  })
})
