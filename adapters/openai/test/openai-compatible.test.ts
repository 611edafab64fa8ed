import type { ChatRequest, ChatStreamPart } from '@agentry/contracts'
import { afterEach, describe, expect, it } from 'vitest'
import { jsonFixture, type OpenAIReplay, sentBody, startOpenAIReplay, streamFixture } from './replay.js'

const WEATHER_REQUEST: ChatRequest = {
  messages: [{ role: 'user', content: 'What is the weather in San Francisco?' }],
  tools: [
    {
      name: 'weather',
      description: 'Get the weather in a location',
      inputSchema: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
    },
  ],
  maxOutputTokens: 1024,
}

let replay: OpenAIReplay | undefined

afterEach(async () => {
  await replay?.close()
  replay = undefined
})

async function collect(parts: AsyncIterable<ChatStreamPart>): Promise<ChatStreamPart[]> {
  const collected: ChatStreamPart[] = []
  for await (const part of parts) collected.push(part)
  return collected
}

function finishOf(parts: readonly ChatStreamPart[]) {
  const last = parts.at(-1)
  if (last?.type !== 'finish') throw new Error('the stream did not end with finish')
  return last.response
}

describe('DeepSeek (reasoning_content, cached tokens, character-level argument deltas)', () => {
  it('generates a tool call, ignoring the reasoning text, with cached input tokens', async () => {
    replay = await startOpenAIReplay({ provider: 'deepseek', maxTokensParameter: 'max_tokens' })
    replay.server.enqueue({ body: jsonFixture('deepseek-nonstream-tool-call.json') })
    const model = replay.provider.chatModel('deepseek-reasoner')
    const response = await model.generate(WEATHER_REQUEST)

    expect(model.provider).toBe('deepseek')
    expect(response).toEqual({
      content: '',
      toolCalls: [
        {
          id: 'call_00_9V0vrf86Pc9aelHCJMZqnJBo',
          name: 'weather',
          argumentsJson: '{"location": "San Francisco"}',
        },
      ],
      finishReason: 'tool-calls',
      refusal: null,
      usage: { inputTokens: 339, outputTokens: 92, cachedInputTokens: 320 },
      model: 'deepseek-reasoner',
      responseId: '7a630f5b-b7e6-4878-82f8-d77db164d42b',
    })
    expect(sentBody(replay.server)).toMatchInlineSnapshot(`
      {
        "max_tokens": 1024,
        "messages": [
          {
            "content": "What is the weather in San Francisco?",
            "role": "user",
          },
        ],
        "model": "deepseek-reasoner",
        "stream": false,
        "tools": [
          {
            "function": {
              "description": "Get the weather in a location",
              "name": "weather",
              "parameters": {
                "properties": {
                  "location": {
                    "type": "string",
                  },
                },
                "required": [
                  "location",
                ],
                "type": "object",
              },
            },
            "type": "function",
          },
        ],
      }
    `)
  })

  it('streams one-character argument deltas and takes usage from the finish chunk', async () => {
    replay = await startOpenAIReplay({ provider: 'deepseek', maxTokensParameter: 'max_tokens' })
    replay.server.enqueue({ chunks: streamFixture('deepseek-stream-tool-call.chunks.jsonl') })
    const parts = await collect(replay.provider.chatModel('deepseek-reasoner').stream(WEATHER_REQUEST))

    expect(
      parts.filter((part) => part.type === 'text-delta'),
      'reasoning is not content',
    ).toEqual([])
    const deltas = parts.flatMap((part) => (part.type === 'tool-call-delta' ? [part.argumentsDelta] : []))
    expect(deltas).toEqual(['{', '"', 'location', '"', ': ', '"', 'San', ' Francisco', '"', '}'])
    const response = finishOf(parts)
    expect(response.toolCalls).toEqual([
      {
        id: 'call_00_ioIn7yN9p1ZOMNpDLwd4MgAF',
        name: 'weather',
        argumentsJson: '{"location": "San Francisco"}',
      },
    ])
    expect(response.usage).toEqual({ inputTokens: 339, outputTokens: 83, cachedInputTokens: 320 })
    expect(response.finishReason).toBe('tool-calls')
  })
})

describe('Groq (no content field, whole arguments in one delta, usage in x_groq)', () => {
  it('generates a tool call from a message without content', async () => {
    replay = await startOpenAIReplay({ provider: 'groq', maxTokensParameter: 'max_tokens' })
    replay.server.enqueue({ body: jsonFixture('groq-nonstream-tool-call.json') })
    const response = await replay.provider.chatModel('llama-3.3-70b-versatile').generate(WEATHER_REQUEST)

    expect(response.content).toBe('')
    expect(response.toolCalls).toEqual([{ id: 'ax9fskhev', name: 'weather', argumentsJson: '{}' }])
    expect(response.usage).toEqual({ inputTokens: 218, outputTokens: 15, cachedInputTokens: 0 })
  })

  it('streams a call whose arguments arrive with its start, with usage from the finish chunk', async () => {
    replay = await startOpenAIReplay({ provider: 'groq', maxTokensParameter: 'max_tokens' })
    replay.server.enqueue({ chunks: streamFixture('groq-stream-tool-call.chunks.jsonl') })
    const parts = await collect(replay.provider.chatModel('llama-3.3-70b-versatile').stream(WEATHER_REQUEST))

    expect(parts.slice(0, 2)).toEqual([
      { type: 'tool-call-start', index: 0, id: 'tk85n1k4m', name: 'weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
    ])
    const response = finishOf(parts)
    expect(response.toolCalls).toEqual([{ id: 'tk85n1k4m', name: 'weather', argumentsJson: '{}' }])
    expect(response.usage).toEqual({ inputTokens: 210, outputTokens: 15, cachedInputTokens: 0 })
    expect(sentBody(replay.server)).toMatchObject({
      max_tokens: 1024,
      stream_options: { include_usage: true },
    })
  })
})

describe("Anthropic's OpenAI-compatible endpoint (text, then a call at index 1, no usage)", () => {
  it('numbers the first tool call 0 whatever index the server gives it, and reports zero usage', async () => {
    replay = await startOpenAIReplay({
      provider: 'anthropic-compat',
      streamUsage: false,
      maxTokensParameter: 'max_tokens',
    })
    replay.server.enqueue({ chunks: streamFixture('anthropic-openai-compat-stream-text-then-tool-call.sse') })
    const parts = await collect(
      replay.provider.chatModel('claude-haiku-4-5').stream({
        messages: [{ role: 'user', content: 'Read a.txt' }],
        tools: [
          {
            name: 'read_file',
            description: 'Reads a file',
            inputSchema: { type: 'object', properties: { path: { type: 'string' } } },
          },
        ],
      }),
    )

    expect(parts).toEqual([
      { type: 'text-delta', delta: 'Reading' },
      { type: 'text-delta', delta: ' it.' },
      { type: 'tool-call-start', index: 0, id: 'toolu_sanitized', name: 'read_file' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"pa' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'th": "a.txt"}' },
      {
        type: 'finish',
        response: {
          content: 'Reading it.',
          toolCalls: [{ id: 'toolu_sanitized', name: 'read_file', argumentsJson: '{"path": "a.txt"}' }],
          finishReason: 'tool-calls',
          refusal: null,
          usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 },
          model: 'claude-haiku-4-5-20251001',
          responseId: 'msg_sanitized',
        },
      },
    ])
    expect(sentBody(replay.server)).toMatchInlineSnapshot(`
      {
        "messages": [
          {
            "content": "Read a.txt",
            "role": "user",
          },
        ],
        "model": "claude-haiku-4-5",
        "stream": true,
        "tools": [
          {
            "function": {
              "description": "Reads a file",
              "name": "read_file",
              "parameters": {
                "properties": {
                  "path": {
                    "type": "string",
                  },
                },
                "type": "object",
              },
            },
            "type": "function",
          },
        ],
      }
    `)
  })
})
