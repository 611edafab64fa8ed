import type { ChatRequest, ChatStreamPart, ToolSpec } from '@agentry/contracts'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  type AnthropicReplay,
  jsonFixture,
  PLATFORM_KEY,
  sentBody,
  startAnthropicReplay,
  streamFixture,
} from './replay.js'

const WEATHER_TOOL: ToolSpec = {
  name: 'get_weather',
  description: 'Current weather of a place.',
  inputSchema: {
    type: 'object',
    properties: { location: { type: 'string' }, units: { enum: ['c', 'f'] } },
    required: ['location'],
  },
}
const ELEMENTS_FORMAT = {
  type: 'json',
  name: 'json',
  schema: {
    type: 'object',
    properties: {
      elements: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            location: { type: 'string' },
            temperature: { type: 'number' },
            condition: { type: 'string' },
          },
        },
      },
    },
    required: ['elements'],
  },
} as const
const HELLO: ChatRequest = { messages: [{ role: 'user', content: 'Hello, how are you?' }] }

let replay: AnthropicReplay

beforeEach(async () => {
  replay = await startAnthropicReplay()
})
afterEach(async () => {
  await replay.close()
})

async function collect(parts: AsyncIterable<ChatStreamPart>): Promise<ChatStreamPart[]> {
  const collected: ChatStreamPart[] = []
  for await (const part of parts) collected.push(part)
  return collected
}

function finishOf(parts: readonly ChatStreamPart[]) {
  const last = parts.at(-1)
  if (last?.type !== 'finish') throw new Error(`the stream did not end with finish: ${JSON.stringify(last)}`)
  return last.response
}

const textDeltas = (parts: readonly ChatStreamPart[]) =>
  parts.flatMap((part) => (part.type === 'text-delta' ? [part.delta] : []))

describe('AnthropicChatModel on recorded Messages API responses', () => {
  it('generates text, sending the system prompt as a cached block and the default max_tokens', async () => {
    replay.server.enqueue({ body: jsonFixture('anthropic-text.json') })
    const response = await replay.provider
      .chatModel('claude-sonnet-4-6')
      .generate({ ...HELLO, system: 'You are a friendly assistant.' })

    expect(response).toEqual({
      content:
        "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?",
      toolCalls: [],
      finishReason: 'stop',
      refusal: null,
      usage: { inputTokens: 12, outputTokens: 29, cachedInputTokens: 0 },
      model: 'claude-sonnet-4-5-20250929',
      responseId: 'msg_01VdEjxAP5ahtHKrrRdNBteQ',
    })
    const [request] = replay.server.requests
    expect(request?.path).toBe('/v1/messages')
    expect(request?.headers.authorization).toBe(`Bearer ${PLATFORM_KEY}`)
    expect(request?.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(request?.body).toMatchInlineSnapshot(`
      {
        "max_tokens": 4096,
        "messages": [
          {
            "content": "Hello, how are you?",
            "role": "user",
          },
        ],
        "model": "claude-sonnet-4-6",
        "stream": false,
        "system": [
          {
            "cache_control": {
              "type": "ephemeral",
            },
            "text": "You are a friendly assistant.",
            "type": "text",
          },
        ],
      }
    `)
  })

  it('streams text deltas that add up to the content, usage from message_delta', async () => {
    replay.server.enqueue({ chunks: streamFixture('anthropic-stream-text.events.jsonl') })
    const parts = await collect(replay.provider.chatModel().stream(HELLO))

    expect(textDeltas(parts)).toEqual([
      'Hello',
      '! I',
      "'m doing well, thank you for asking",
      '. How are you doing today?',
      ' Is',
      ' there anything I can help you with?',
    ])
    const response = finishOf(parts)
    expect(response.content).toBe(textDeltas(parts).join(''))
    expect(response.finishReason).toBe('stop')
    expect(response.usage).toEqual({ inputTokens: 12, outputTokens: 30, cachedInputTokens: 0 })
    expect(sentBody(replay.server)).toMatchObject({ stream: true, max_tokens: 4096 })
  })

  it('maps a conversation: consecutive tool results in one user turn, tool_use blocks, tool choice any', async () => {
    replay.server.enqueue({ body: jsonFixture('anthropic-tool-call.json') })
    const response = await replay.provider.chatModel('claude-haiku-4-5').generate({
      system: 'You look up the weather.',
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: 'Checking both.',
          toolCalls: [
            { id: 'toolu_a', name: 'get_weather', argumentsJson: '{"location":"Paris"}' },
            { id: 'toolu_b', name: 'get_weather', argumentsJson: '{"location":"Rome"}' },
          ],
        },
        { role: 'tool', toolCallId: 'toolu_a', toolName: 'get_weather', content: '{"celsius":18}' },
        {
          role: 'tool',
          toolCallId: 'toolu_b',
          toolName: 'get_weather',
          content: 'weather service down',
          isError: true,
        },
        { role: 'system', content: 'Answer in Celsius.' },
        { role: 'user', content: "What's the weather in SF in Celsius?" },
      ],
      tools: [WEATHER_TOOL],
      toolChoice: 'required',
      maxOutputTokens: 1024,
    })

    expect(response.finishReason).toBe('tool-calls')
    expect(response.toolCalls).toEqual([
      {
        id: 'toolu_013DU6hV4C1M8dJ32ybQFAFi',
        name: 'get_weather',
        argumentsJson: '{"location":"SF","units":"c"}',
      },
    ])
    expect(response.usage).toEqual({ inputTokens: 597, outputTokens: 71, cachedInputTokens: 0 })
    expect(sentBody(replay.server)).toMatchInlineSnapshot(`
      {
        "max_tokens": 1024,
        "messages": [
          {
            "content": "Weather in Paris and Rome?",
            "role": "user",
          },
          {
            "content": [
              {
                "text": "Checking both.",
                "type": "text",
              },
              {
                "id": "toolu_a",
                "input": {
                  "location": "Paris",
                },
                "name": "get_weather",
                "type": "tool_use",
              },
              {
                "id": "toolu_b",
                "input": {
                  "location": "Rome",
                },
                "name": "get_weather",
                "type": "tool_use",
              },
            ],
            "role": "assistant",
          },
          {
            "content": [
              {
                "content": "{"celsius":18}",
                "tool_use_id": "toolu_a",
                "type": "tool_result",
              },
              {
                "content": "weather service down",
                "is_error": true,
                "tool_use_id": "toolu_b",
                "type": "tool_result",
              },
              {
                "text": "What's the weather in SF in Celsius?",
                "type": "text",
              },
            ],
            "role": "user",
          },
        ],
        "model": "claude-haiku-4-5",
        "stream": false,
        "system": [
          {
            "cache_control": {
              "type": "ephemeral",
            },
            "text": "You look up the weather.

      Answer in Celsius.",
            "type": "text",
          },
        ],
        "tool_choice": {
          "type": "any",
        },
        "tools": [
          {
            "cache_control": {
              "type": "ephemeral",
            },
            "description": "Current weather of a place.",
            "input_schema": {
              "properties": {
                "location": {
                  "type": "string",
                },
                "units": {
                  "enum": [
                    "c",
                    "f",
                  ],
                },
              },
              "required": [
                "location",
              ],
              "type": "object",
            },
            "name": "get_weather",
          },
        ],
      }
    `)
  })

  it('streams text, then a tool call whose input_json_delta pieces add up to its arguments', async () => {
    replay.server.enqueue({ chunks: streamFixture('anthropic-stream-tool-call.sse') })
    const parts = await collect(replay.provider.chatModel().stream({ ...HELLO, tools: [WEATHER_TOOL] }))

    expect(parts.slice(0, -1)).toEqual([
      { type: 'text-delta', delta: 'I' },
      { type: 'text-delta', delta: "'ll check the current weather in Paris for you." },
      { type: 'tool-call-start', index: 0, id: 'toolu_01NRLabsLyVHZPKxbKvkfSMn', name: 'get_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"locati' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'on": "P' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'ar' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'is"}' },
    ])
    expect(finishOf(parts)).toEqual({
      content: "I'll check the current weather in Paris for you.",
      toolCalls: [
        { id: 'toolu_01NRLabsLyVHZPKxbKvkfSMn', name: 'get_weather', argumentsJson: '{"location": "Paris"}' },
      ],
      finishReason: 'tool-calls',
      refusal: null,
      usage: { inputTokens: 377, outputTokens: 65, cachedInputTokens: 0 },
      model: 'claude-sonnet-4-20250514',
      responseId: 'msg_019Q1hrJbZG26Fb9BQhrkHEr',
    })
  })

  it('gives a tool without arguments `{}`, generated or streamed', async () => {
    replay.server.enqueue(
      { body: jsonFixture('anthropic-tool-call-no-args.json') },
      { chunks: streamFixture('anthropic-stream-tool-call-no-args.events.jsonl') },
    )
    const request: ChatRequest = {
      ...HELLO,
      tools: [
        {
          name: 'updateIssueList',
          description: 'Refreshes the issue list.',
          inputSchema: { type: 'object' },
        },
      ],
    }
    const generated = await replay.provider.chatModel().generate(request)
    const parts = await collect(replay.provider.chatModel().stream(request))

    expect(generated.toolCalls).toEqual([
      { id: 'toolu_01LRmxn9vGM1d2DZSDBowdZ1', name: 'updateIssueList', argumentsJson: '{}' },
    ])
    expect(parts.filter((part) => part.type === 'tool-call-delta')).toEqual([
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
    ])
    expect(finishOf(parts).toolCalls[0]?.argumentsJson).toBe('{}')
  })

  it('returns and streams parallel tool calls, numbered by the order they start', async () => {
    replay.server.enqueue(
      { body: jsonFixture('anthropic-parallel-tool-calls.derived.json') },
      { chunks: streamFixture('anthropic-stream-parallel-tool-calls.derived.sse') },
    )
    const request: ChatRequest = { ...HELLO, tools: [WEATHER_TOOL] }
    const generated = await replay.provider.chatModel().generate(request)
    const parts = await collect(replay.provider.chatModel().stream(request))

    const expected = [
      { id: 'toolu_01NRLabsLyVHZPKxbKvkfSMn', name: 'get_weather', argumentsJson: '{"location":"Paris"}' },
      { id: 'toolu_derived_second_call_0002', name: 'get_weather', argumentsJson: '{"location":"London"}' },
    ]
    expect(generated.toolCalls).toEqual(expected)
    expect(parts.filter((part) => part.type === 'tool-call-start').map((part) => part.index)).toEqual([0, 1])
    expect(finishOf(parts).toolCalls.map((call) => JSON.parse(call.argumentsJson))).toEqual([
      { location: 'Paris' },
      { location: 'London' },
    ])
  })

  it('reports a refusal with the API explanation, generated or streamed', async () => {
    replay.server.enqueue(
      { body: jsonFixture('anthropic-refusal.json') },
      { chunks: streamFixture('anthropic-stream-refusal.sse') },
    )
    const generated = await replay.provider.chatModel().generate(HELLO)
    const parts = await collect(replay.provider.chatModel().stream(HELLO))

    expect(generated).toMatchObject({
      finishReason: 'refusal',
      content: '',
      toolCalls: [],
      refusal:
        "This request triggered restrictions on violative cyber content and was blocked under Anthropic's Usage Policy.",
    })
    expect(parts.map((part) => part.type)).toEqual(['finish'])
    expect(finishOf(parts)).toMatchObject({
      finishReason: 'refusal',
      refusal: 'This request was refused due to policy.',
      usage: { inputTokens: 20, outputTokens: 0, cachedInputTokens: 0 },
    })
  })

  it('stops at max_tokens with finishReason length, even inside a tool call', async () => {
    replay.server.enqueue(
      { body: jsonFixture('anthropic-length.derived.json') },
      { chunks: streamFixture('anthropic-stream-length.sse') },
    )
    const request: ChatRequest = { ...HELLO, maxOutputTokens: 124 }
    const generated = await replay.provider.chatModel().generate(request)
    const streamed = finishOf(await collect(replay.provider.chatModel().stream(request)))

    expect(generated.finishReason).toBe('length')
    expect(streamed.finishReason).toBe('length')
    expect(streamed.usage).toEqual({ inputTokens: 450, outputTokens: 124, cachedInputTokens: 0 })
    expect(streamed.toolCalls[0]?.name).toBe('make_file')
    expect(streamed.toolCalls[0]?.argumentsJson).toMatch(/^\{"filename": "taxes.txt", "lines_of_text": \[/)
    expect(sentBody(replay.server, 1)).toMatchObject({ max_tokens: 124 })
  })

  it('counts cache reads and writes in the input, cache reads as cached input', async () => {
    replay.server.enqueue({ chunks: streamFixture('anthropic-stream-cache-usage.events.jsonl') })
    const response = finishOf(await collect(replay.provider.chatModel().stream(HELLO)))

    expect(response.content).toBe('The sum of the squares of the numbers 1 through 12 is **650**.')
    expect(response.usage).toEqual({
      inputTokens: 6 + 6289 + 3337,
      outputTokens: 198,
      cachedInputTokens: 6289,
    })
  })

  it('asks for JSON through a forced tool and returns its input as the content', async () => {
    replay.server.enqueue(
      { body: jsonFixture('anthropic-json-tool.json') },
      { chunks: streamFixture('anthropic-stream-json-tool.events.jsonl') },
    )
    const request: ChatRequest = { ...HELLO, responseFormat: ELEMENTS_FORMAT }
    const generated = await replay.provider.chatModel('claude-haiku-4-5').generate(request)
    const parts = await collect(replay.provider.chatModel('claude-haiku-4-5').stream(request))

    expect(generated.finishReason).toBe('stop')
    expect(generated.toolCalls).toEqual([])
    expect(JSON.parse(generated.content).elements).toHaveLength(4)
    const streamed = finishOf(parts)
    expect(streamed.finishReason).toBe('stop')
    expect(streamed.content).toBe(textDeltas(parts).join(''))
    expect(JSON.parse(streamed.content)).toEqual({
      elements: [{ location: 'San Francisco', temperature: 58, condition: 'sunny' }],
    })
    expect(sentBody(replay.server, 0)).toMatchInlineSnapshot(`
      {
        "max_tokens": 4096,
        "messages": [
          {
            "content": "Hello, how are you?",
            "role": "user",
          },
        ],
        "model": "claude-haiku-4-5",
        "stream": false,
        "tool_choice": {
          "name": "json",
          "type": "tool",
        },
        "tools": [
          {
            "cache_control": {
              "type": "ephemeral",
            },
            "description": "Gives the final answer. Its input is the answer, in the required JSON format.",
            "input_schema": {
              "properties": {
                "elements": {
                  "items": {
                    "properties": {
                      "condition": {
                        "type": "string",
                      },
                      "location": {
                        "type": "string",
                      },
                      "temperature": {
                        "type": "number",
                      },
                    },
                    "type": "object",
                  },
                  "type": "array",
                },
              },
              "required": [
                "elements",
              ],
              "type": "object",
            },
            "name": "json",
          },
        ],
      }
    `)
  })

  it('with tools and JSON, offers both, tells the model to answer with the JSON tool, and holds text back', async () => {
    replay.server.enqueue({ chunks: streamFixture('anthropic-stream-tool-call.sse') })
    const parts = await collect(
      replay.provider
        .chatModel()
        .stream({ ...HELLO, system: 'Be brief.', tools: [WEATHER_TOOL], responseFormat: ELEMENTS_FORMAT }),
    )

    expect(parts.map((part) => part.type)).toEqual([
      'tool-call-start',
      'tool-call-delta',
      'tool-call-delta',
      'tool-call-delta',
      'tool-call-delta',
      'text-delta',
      'text-delta',
      'finish',
    ])
    expect(finishOf(parts).finishReason).toBe('tool-calls')
    const body = sentBody(replay.server) as {
      tools: { name: string }[]
      tool_choice?: unknown
      system: unknown
    }
    expect(body.tools.map((tool) => tool.name)).toEqual(['get_weather', 'json'])
    expect(body.tool_choice).toBeUndefined()
    expect(body.system).toMatchInlineSnapshot(`
      [
        {
          "cache_control": {
            "type": "ephemeral",
          },
          "text": "Be brief.

      Give your final answer by calling the \`json\` tool, never as text.",
          "type": "text",
        },
      ]
    `)
  })

  it('wraps a JSON schema whose root is not an object', async () => {
    replay.server.enqueue({ body: jsonFixture('anthropic-json-tool.json') })
    await replay.provider.chatModel().generate({
      ...HELLO,
      responseFormat: { type: 'json', name: 'cities', schema: { type: 'array', items: { type: 'string' } } },
    })
    expect((sentBody(replay.server) as { tools: unknown[] }).tools).toMatchInlineSnapshot(`
      [
        {
          "cache_control": {
            "type": "ephemeral",
          },
          "description": "Gives the final answer. Its input is the answer, in the required JSON format.",
          "input_schema": {
            "properties": {
              "value": {
                "items": {
                  "type": "string",
                },
                "type": "array",
              },
            },
            "required": [
              "value",
            ],
            "type": "object",
          },
          "name": "cities",
        },
      ]
    `)
  })

  it('passes providerOptions.anthropic through (temperature included), and can leave prompt caching off', async () => {
    const uncached = await startAnthropicReplay({ cachePrompt: false })
    try {
      uncached.server.enqueue({ body: jsonFixture('anthropic-text.json') })
      await uncached.provider.chatModel('claude-3-5-haiku-latest').generate({
        ...HELLO,
        system: 'Be brief.',
        temperature: 0.9,
        tools: [WEATHER_TOOL],
        providerOptions: { anthropic: { temperature: 0.3, top_k: 5, model: 'ignored' }, openai: { seed: 1 } },
      })
      expect(sentBody(uncached.server)).toMatchInlineSnapshot(`
        {
          "max_tokens": 4096,
          "messages": [
            {
              "content": "Hello, how are you?",
              "role": "user",
            },
          ],
          "model": "claude-3-5-haiku-latest",
          "stream": false,
          "system": "Be brief.",
          "temperature": 0.3,
          "tools": [
            {
              "description": "Current weather of a place.",
              "input_schema": {
                "properties": {
                  "location": {
                    "type": "string",
                  },
                  "units": {
                    "enum": [
                      "c",
                      "f",
                    ],
                  },
                },
                "required": [
                  "location",
                ],
                "type": "object",
              },
              "name": "get_weather",
            },
          ],
          "top_k": 5,
        }
      `)
    } finally {
      await uncached.close()
    }
  })
})
