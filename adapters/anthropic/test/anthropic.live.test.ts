import type { ChatStreamPart } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { createAnthropic } from '../src/index.js'

/**
 * Talks to the real Anthropic API, only when ANTHROPIC_API_KEY is set (a few hundred tokens per
 * run). ANTHROPIC_TEST_MODEL picks the model.
 */
const apiKey = process.env.ANTHROPIC_API_KEY
const modelId = process.env.ANTHROPIC_TEST_MODEL ?? 'claude-haiku-4-5'

const live = apiKey ? it : it.skip
const reason = apiKey ? '' : ' (skipped: ANTHROPIC_API_KEY is not set)'

describe('Anthropic live', () => {
  const provider = createAnthropic({ apiKey, timeoutMs: 60_000 })

  live(`generates a short answer with usage${reason}`, async () => {
    const response = await provider.chatModel(modelId).generate({
      system: 'You answer with one word.',
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
      maxOutputTokens: 256,
    })) {
      parts.push(part)
    }
    const finish = parts.at(-1)
    if (finish?.type !== 'finish') throw new Error('no finish part')
    expect(finish.response.finishReason).toBe('tool-calls')
    expect(JSON.parse(finish.response.toolCalls[0]?.argumentsJson ?? '')).toHaveProperty('city')
  })

  live(`answers in JSON through the forced tool${reason}`, async () => {
    const response = await provider.chatModel(modelId).generate({
      messages: [{ role: 'user', content: 'Name the capital of France.' }],
      responseFormat: {
        type: 'json',
        name: 'answer',
        schema: { type: 'object', properties: { capital: { type: 'string' } }, required: ['capital'] },
      },
      maxOutputTokens: 128,
    })
    expect(response.finishReason).toBe('stop')
    expect(JSON.parse(response.content).capital).toMatch(/paris/i)
  })

  live(`rejects a bad key with UNAUTHENTICATED${reason}`, async () => {
    const wrong = createAnthropic({ apiKey: 'sk-ant-invalid-key-for-agentry-live-test' })
    await expect(
      wrong.chatModel(modelId).generate({ messages: [{ role: 'user', content: 'hi' }], maxOutputTokens: 8 }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
  })
})
