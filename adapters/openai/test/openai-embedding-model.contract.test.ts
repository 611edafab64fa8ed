import { describeEmbeddingModel, type RecordedRequest, type ReplayResponse } from '@agentry/contracts/testing'
import { jsonFixture, type OpenAIReplay, startOpenAIReplay } from './replay.js'

const DIMENSIONS = 64
const STOP_WORDS = new Set(['a', 'an', 'and', 'do', 'how', 'i', 'in', 'my', 'of', 'the', 'to', 'your'])

/**
 * The kit compares vectors of texts it picks, so no recording can answer it. This answers in the
 * recorded response's shape (openai-embedding.json: `object`, `data[].index`, `model`, `usage`),
 * listing the vectors in reverse so the adapter must order them by `index`, with vectors made
 * from the words of each text: texts sharing words point the same way.
 */
function embeddingsAnswer(request: RecordedRequest): ReplayResponse {
  const recorded = jsonFixture('openai-embedding.json') as Record<string, unknown>
  const body = request.body as { input: string[]; dimensions: number }
  const data = body.input.map((text, index) => ({
    object: 'embedding',
    index,
    embedding: wordVector(text, body.dimensions),
  }))
  const tokens = body.input.reduce((sum, text) => sum + text.split(/\s+/).length, 0)
  return {
    body: { ...recorded, data: data.reverse(), usage: { prompt_tokens: tokens, total_tokens: tokens } },
  }
}

function wordVector(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0)
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
    if (STOP_WORDS.has(word)) continue
    const stem = word.replace(/(ting|ing|s)$/, '')
    let hash = 0
    for (const character of stem) hash = (hash * 31 + character.charCodeAt(0)) >>> 0
    vector[hash % dimensions] = (vector[hash % dimensions] ?? 0) + 1
  }
  vector[dimensions - 1] = (vector[dimensions - 1] ?? 0) + 0.01
  return vector
}

let replay: OpenAIReplay | undefined

describeEmbeddingModel({
  name: 'OpenAIEmbeddingModel (replay server in the recorded response shape)',
  create: async () => {
    replay = await startOpenAIReplay({ embeddingDimensions: DIMENSIONS })
    replay.server.respondWith(embeddingsAnswer)
    return replay.provider.embeddingModel()
  },
  cleanup: async () => {
    await replay?.close()
  },
})
