import { expectCoreError } from '@agentry/contracts/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { createOpenAI } from '../src/index.js'
import { jsonFixture, type OpenAIReplay, sentBody, startOpenAIReplay } from './replay.js'

interface EmbeddingBody {
  data: { index: number; embedding: number[] }[]
}

let replay: OpenAIReplay

afterEach(async () => {
  await replay?.close()
})

describe('OpenAIEmbeddingModel on a recorded response', () => {
  it('returns one Float32Array per text with the usage, asking for float vectors of the configured size', async () => {
    replay = await startOpenAIReplay({ embeddingDimensions: 5 })
    replay.server.enqueue({ body: jsonFixture('openai-embedding.json') })
    const model = replay.provider.embeddingModel()
    const result = await model.embed(['sunny day at the beach', 'rainy day in the city'])

    expect(model).toMatchObject({
      provider: 'openai',
      modelId: 'text-embedding-3-small',
      dimensions: 5,
      maxBatchSize: 2048,
    })
    expect(result.vectors).toHaveLength(2)
    expect(result.vectors[0]).toBeInstanceOf(Float32Array)
    expect(Array.from(result.vectors[0] ?? [])).toEqual(
      [0.0057293195, -0.012727811, 0.020042092, -0.013437585, 0.022833068].map(Math.fround),
    )
    expect(result.usage).toEqual({ tokens: 12 })
    expect(replay.server.requests[0]?.path).toBe('/v1/embeddings')
    expect(sentBody(replay.server)).toMatchInlineSnapshot(`
      {
        "dimensions": 5,
        "encoding_format": "float",
        "input": [
          "sunny day at the beach",
          "rainy day in the city",
        ],
        "model": "text-embedding-3-small",
      }
    `)
  })

  it('puts vectors back in input order when the response lists them out of order', async () => {
    replay = await startOpenAIReplay({ embeddingDimensions: 5 })
    const recorded = jsonFixture('openai-embedding.json') as EmbeddingBody
    replay.server.enqueue({ body: { ...recorded, data: [...recorded.data].reverse() } })
    const result = await replay.provider.embeddingModel().embed(['first', 'second'])
    expect(result.vectors[0]?.[0]).toBeCloseTo(0.0057293195, 7)
    expect(result.vectors[1]?.[0]).toBeCloseTo(-0.037104916, 7)
  })

  it('sends no request for no texts, and rejects more than maxBatchSize texts', async () => {
    replay = await startOpenAIReplay({ embeddingDimensions: 5, embeddingBatchSize: 2 })
    const model = replay.provider.embeddingModel()
    expect(await model.embed([])).toEqual({ vectors: [], usage: { tokens: 0 } })
    const error = await expectCoreError(model.embed(['a', 'b', 'c']), 'INVALID_INPUT')
    expect(error.message).toBe('Got 3 texts to embed; this model takes at most 2 per call: batch them.')
    expect(replay.server.requests).toHaveLength(0)
  })

  it('rejects a response whose vectors do not match the texts or the size: UPSTREAM_ERROR', async () => {
    replay = await startOpenAIReplay({ embeddingDimensions: 8 })
    replay.server.enqueue({ body: jsonFixture('openai-embedding.json') })
    await expectCoreError(replay.provider.embeddingModel().embed(['a', 'b']), 'UPSTREAM_ERROR')
  })

  it('knows the full sizes of the text-embedding-3 models and asks for a size only when configured', () => {
    const provider = createOpenAI({ apiKey: 'sk-x' })
    expect(provider.embeddingModel().dimensions).toBe(1536)
    expect(provider.embeddingModel('text-embedding-3-large').dimensions).toBe(3072)
  })

  it('needs embeddingDimensions for a model it does not know', async () => {
    const provider = createOpenAI({ apiKey: 'sk-x', provider: 'ollama', embeddingModel: 'nomic-embed-text' })
    const error = await expectCoreError(async () => provider.embeddingModel(), 'INVALID_INPUT')
    expect(error.message).toContain('set embeddingDimensions')
  })

  it('translates errors as the chat model does: 429 is RATE_LIMITED', async () => {
    replay = await startOpenAIReplay({ embeddingDimensions: 5 })
    replay.server.enqueue({
      status: 429,
      headers: { 'retry-after': '1' },
      body: {
        error: { message: 'Rate limit reached', type: 'tokens', param: null, code: 'rate_limit_exceeded' },
      },
    })
    const error = await expectCoreError(replay.provider.embeddingModel().embed(['a']), 'RATE_LIMITED')
    expect(error.retryAfterMs).toBe(1000)
  })
})
