import type { ChatStreamPart } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { createOpenAI } from '../src/index.js'

/**
 * Talks to the real OpenAI API, only when OPENAI_API_KEY is set (a few hundred tokens per run).
 * OPENAI_BASE_URL and OPENAI_TEST_MODEL point it at another endpoint or model.
 */
const apiKey = process.env.OPENAI_API_KEY
const baseURL = process.env.OPENAI_BASE_URL
const modelId = process.env.OPENAI_TEST_MODEL ?? 'gpt-4o-mini'

const live = apiKey ? it : it.skip
const reason = apiKey ? '' : ' (skipped: OPENAI_API_KEY is not set)'

describe('OpenAI live', () => {
  const provider = createOpenAI({ apiKey, ...(baseURL ? { baseURL } : {}), timeoutMs: 60_000 })

  live(`generates a short answer with usage${reason}`, async () => {
    const response = await provider.chatModel(modelId).generate({
      messages: [{ role: 'user', content: 'Reply with the single word: pong' }],
      maxOutputTokens: 16,
    })
    expect(response.content.toLowerCase()).toContain('pong')
    expect(response.finishReason).toBe('stop')
    expect(response.usage.inputTokens).toBeGreaterThan(0)
    expect(response.usage.outputTokens).toBeGreaterThan(0)
  })

  live(`streams a tool call with arguments that parse${reason}`, async () => {
    const parts: ChatStreamPart[] = []
    for await (const part of provider.chatModel(modelId).stream({
      messages: [{ role: 'user', content: 'What is the weather in Paris? Use the tool.' }],
      tools: [
        {
          name: 'get_weather',
          description: 'Current weather of a city',
          inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      ],
      toolChoice: 'required',
    })) {
      parts.push(part)
    }
    const finish = parts.at(-1)
    if (finish?.type !== 'finish') throw new Error('no finish part')
    expect(finish.response.finishReason).toBe('tool-calls')
    expect(JSON.parse(finish.response.toolCalls[0]?.argumentsJson ?? '')).toHaveProperty('city')
    expect(finish.response.usage.inputTokens).toBeGreaterThan(0)
  })

  live(`embeds two texts at a requested size${reason}`, async () => {
    const embedder = createOpenAI({ apiKey, ...(baseURL ? { baseURL } : {}), embeddingDimensions: 256 })
    const result = await embedder.embeddingModel().embed(['hello world', 'goodbye moon'])
    expect(result.vectors.map((vector) => vector.length)).toEqual([256, 256])
    expect(result.usage.tokens).toBeGreaterThan(0)
  })

  live(`rejects a bad key with UNAUTHENTICATED${reason}`, async () => {
    const wrong = createOpenAI({
      apiKey: 'sk-invalid-key-for-agentry-live-test',
      ...(baseURL ? { baseURL } : {}),
    })
    await expect(
      wrong.chatModel(modelId).generate({ messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
  })
})
