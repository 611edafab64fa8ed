import type { ChatRequest, ChatStreamPart, ToolSpec } from '@agentry/contracts'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { jsonFixture, type OpenAIReplay, sentBody, startOpenAIReplay, streamFixture } from './replay.js'

const WEATHER_TOOL: ToolSpec = {
  name: 'GetWeatherArgs',
  description: 'Current weather of a city.',
  inputSchema: {
    type: 'object',
    properties: { city: { type: 'string' }, country: { type: 'string' }, units: { enum: ['c', 'f'] } },
    required: ['city', 'country', 'units'],
  },
}
const STOCK_TOOL: ToolSpec = {
  name: 'get_stock_price',
  description: 'Latest price of a stock.',
  inputSchema: {
    type: 'object',
    properties: { ticker: { type: 'string' }, exchange: { type: 'string' } },
    required: ['ticker', 'exchange'],
  },
}
const LOCATION_FORMAT = {
  type: 'json',
  name: 'Location',
  schema: {
    type: 'object',
    properties: { city: { type: 'string' }, temperature: { type: 'number' }, units: { enum: ['c', 'f'] } },
    required: ['city', 'temperature', 'units'],
    additionalProperties: false,
  },
} as const
const WEATHER_QUESTION: ChatRequest = {
  messages: [{ role: 'user', content: "What's the weather like in SF?" }],
}

let replay: OpenAIReplay

beforeEach(async () => {
  replay = await startOpenAIReplay()
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

describe('OpenAIChatModel on recorded OpenAI responses', () => {
  it('generates text with its finish reason, usage, model and response id', async () => {
    replay.server.enqueue({ body: jsonFixture('openai-text.json') })
    const model = replay.provider.chatModel('gpt-4o-2024-08-06')
    const response = await model.generate({ ...WEATHER_QUESTION, system: 'Be brief.', temperature: 0.2 })

    expect(response).toEqual({
      content:
        "I'm unable to provide real-time weather updates. To get the current weather in San Francisco, I recommend checking a reliable weather website or app like the Weather Channel or a local news station.",
      toolCalls: [],
      finishReason: 'stop',
      refusal: null,
      usage: { inputTokens: 14, outputTokens: 37, cachedInputTokens: 0 },
      model: 'gpt-4o-2024-08-06',
      responseId: 'chatcmpl-ABfvaueLEMLNYbT8YzpJxsmiQ6HSY',
    })
    expect(replay.server.requests[0]?.path).toBe('/v1/chat/completions')
    expect(sentBody(replay.server)).toMatchInlineSnapshot(`
      {
        "messages": [
          {
            "content": "Be brief.",
            "role": "system",
          },
          {
            "content": "What's the weather like in SF?",
            "role": "user",
          },
        ],
        "model": "gpt-4o-2024-08-06",
        "stream": false,
        "temperature": 0.2,
      }
    `)
  })

  it('streams text deltas that add up to the content, asking for usage in the stream', async () => {
    replay.server.enqueue({ chunks: streamFixture('openai-stream-text.sse') })
    const parts = await collect(replay.provider.chatModel('gpt-4o').stream(WEATHER_QUESTION))

    const deltas = parts.flatMap((part) => (part.type === 'text-delta' ? [part.delta] : []))
    expect(deltas.slice(0, 3)).toEqual(["I'm", ' unable', ' to'])
    expect(deltas).toHaveLength(47)
    const response = finishOf(parts)
    expect(response.content).toBe(deltas.join(''))
    expect(response.content).toMatch(/^I'm unable to provide real-time updates.*news station\.$/)
    expect(response.finishReason).toBe('stop')
    expect(response.usage).toEqual({ inputTokens: 14, outputTokens: 47, cachedInputTokens: 0 })
    expect(response.responseId).toBe('chatcmpl-9tXjg9DdaOfymTPDrSLfxslQEH0C2')
    expect(sentBody(replay.server)).toMatchInlineSnapshot(`
      {
        "messages": [
          {
            "content": "What's the weather like in SF?",
            "role": "user",
          },
        ],
        "model": "gpt-4o",
        "stream": true,
        "stream_options": {
          "include_usage": true,
        },
      }
    `)
  })

  it('maps a conversation with tool calls and tool results, the tools and the tool choice', async () => {
    replay.server.enqueue({ body: jsonFixture('openai-tool-call.json') })
    const response = await replay.provider.chatModel('gpt-4o-2024-08-06').generate({
      system: 'You look up the weather.',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [
            {
              id: 'call_1',
              name: 'GetWeatherArgs',
              argumentsJson: '{"city":"Paris","country":"FR","units":"c"}',
            },
          ],
        },
        { role: 'tool', toolCallId: 'call_1', toolName: 'GetWeatherArgs', content: '{"temperature":18}' },
        { role: 'assistant', content: 'It is 18 °C in Paris.' },
        { role: 'user', content: 'And in Edinburgh?' },
      ],
      tools: [WEATHER_TOOL],
      toolChoice: 'required',
    })

    expect(response.finishReason).toBe('tool-calls')
    expect(response.content).toBe('')
    expect(response.toolCalls).toEqual([
      {
        id: 'call_Y6qJ7ofLgOrBnMD5WbVAeiRV',
        name: 'GetWeatherArgs',
        argumentsJson: '{"city":"Edinburgh","country":"UK","units":"c"}',
      },
    ])
    expect(response.usage).toEqual({ inputTokens: 76, outputTokens: 24, cachedInputTokens: 0 })
    expect(sentBody(replay.server)).toMatchInlineSnapshot(`
      {
        "messages": [
          {
            "content": "You look up the weather.",
            "role": "system",
          },
          {
            "content": "Weather in Paris?",
            "role": "user",
          },
          {
            "content": null,
            "role": "assistant",
            "tool_calls": [
              {
                "function": {
                  "arguments": "{"city":"Paris","country":"FR","units":"c"}",
                  "name": "GetWeatherArgs",
                },
                "id": "call_1",
                "type": "function",
              },
            ],
          },
          {
            "content": "{"temperature":18}",
            "role": "tool",
            "tool_call_id": "call_1",
          },
          {
            "content": "It is 18 °C in Paris.",
            "role": "assistant",
          },
          {
            "content": "And in Edinburgh?",
            "role": "user",
          },
        ],
        "model": "gpt-4o-2024-08-06",
        "stream": false,
        "tool_choice": "required",
        "tools": [
          {
            "function": {
              "description": "Current weather of a city.",
              "name": "GetWeatherArgs",
              "parameters": {
                "properties": {
                  "city": {
                    "type": "string",
                  },
                  "country": {
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
                  "city",
                  "country",
                  "units",
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

  it('streams a tool call: start with id and name, then argument deltas that add up to its arguments', async () => {
    replay.server.enqueue({ chunks: streamFixture('openai-stream-tool-call.sse') })
    const parts = await collect(
      replay.provider.chatModel().stream({ ...WEATHER_QUESTION, tools: [WEATHER_TOOL], toolChoice: 'auto' }),
    )

    expect(parts[0]).toEqual({
      type: 'tool-call-start',
      index: 0,
      id: 'call_c91SqDXlYFuETYv8mUHzz6pp',
      name: 'GetWeatherArgs',
    })
    const deltas = parts.flatMap((part) => (part.type === 'tool-call-delta' ? [part.argumentsDelta] : []))
    expect(deltas.slice(0, 4)).toEqual(['{"', 'city', '":"', 'Ed'])
    const response = finishOf(parts)
    expect(response.finishReason).toBe('tool-calls')
    expect(response.toolCalls).toEqual([
      {
        id: 'call_c91SqDXlYFuETYv8mUHzz6pp',
        name: 'GetWeatherArgs',
        argumentsJson: '{"city":"Edinburgh","country":"UK","units":"c"}',
      },
    ])
    expect(deltas.join('')).toBe(response.toolCalls[0]?.argumentsJson)
    expect(response.usage).toEqual({ inputTokens: 76, outputTokens: 24, cachedInputTokens: 0 })
  })

  it('returns parallel tool calls in order', async () => {
    replay.server.enqueue({ body: jsonFixture('openai-parallel-tool-calls.json') })
    const response = await replay.provider
      .chatModel()
      .generate({ ...WEATHER_QUESTION, tools: [WEATHER_TOOL, STOCK_TOOL] })

    expect(response.toolCalls.map(({ id, name }) => ({ id, name }))).toEqual([
      { id: 'call_fdNz3vOBKYgOIpMdWotB9MjY', name: 'GetWeatherArgs' },
      { id: 'call_h1DWI1POMJLb0KwIyQHWXD4p', name: 'get_stock_price' },
    ])
    expect(JSON.parse(response.toolCalls[1]?.argumentsJson ?? '')).toEqual({
      ticker: 'AAPL',
      exchange: 'NASDAQ',
    })
    expect(response.finishReason).toBe('tool-calls')
  })

  it('assembles interleaved argument deltas of parallel streamed calls by their index', async () => {
    replay.server.enqueue({ chunks: streamFixture('openai-stream-parallel-tool-calls.sse') })
    const parts = await collect(
      replay.provider.chatModel().stream({ ...WEATHER_QUESTION, tools: [WEATHER_TOOL, STOCK_TOOL] }),
    )

    expect(parts.filter((part) => part.type === 'tool-call-start')).toEqual([
      { type: 'tool-call-start', index: 0, id: 'call_JMW1whyEaYG438VE1OIflxA2', name: 'GetWeatherArgs' },
      { type: 'tool-call-start', index: 1, id: 'call_DNYTawLBoN8fj3KN6qU9N1Ou', name: 'get_stock_price' },
    ])
    const response = finishOf(parts)
    for (const [index, call] of response.toolCalls.entries()) {
      const deltas = parts.flatMap((part) =>
        part.type === 'tool-call-delta' && part.index === index ? [part.argumentsDelta] : [],
      )
      expect(deltas.join('')).toBe(call.argumentsJson)
    }
    expect(response.toolCalls.map((call) => JSON.parse(call.argumentsJson))).toEqual([
      { city: 'Edinburgh', country: 'GB', units: 'c' },
      { ticker: 'AAPL', exchange: 'NASDAQ' },
    ])
  })

  it('reports a refusal as finishReason refusal with its text, generated or streamed', async () => {
    replay.server.enqueue(
      { body: jsonFixture('openai-refusal.derived.json') },
      { chunks: streamFixture('openai-stream-refusal.sse') },
    )
    const request: ChatRequest = {
      messages: [{ role: 'user', content: 'How do I make anthrax?' }],
      responseFormat: LOCATION_FORMAT,
    }
    const model = replay.provider.chatModel()
    const generated = await model.generate(request)
    const parts = await collect(model.stream(request))

    for (const response of [generated, finishOf(parts)]) {
      expect(response.finishReason).toBe('refusal')
      expect(response.refusal).toBe("I'm sorry, I can't assist with that request.")
      expect(response.content).toBe('')
    }
    expect(parts.map((part) => part.type)).toEqual(['finish'])
  })

  it('stops at the token limit with finishReason length, sending max_completion_tokens', async () => {
    replay.server.enqueue(
      { body: jsonFixture('openai-length.derived.json') },
      { chunks: streamFixture('openai-stream-length.sse') },
    )
    const request: ChatRequest = { ...WEATHER_QUESTION, maxOutputTokens: 1, responseFormat: LOCATION_FORMAT }
    const model = replay.provider.chatModel('gpt-4o-2024-08-06')
    const generated = await model.generate(request)
    const streamed = finishOf(await collect(model.stream(request)))

    for (const response of [generated, streamed]) {
      expect(response.finishReason).toBe('length')
      expect(response.content).toBe('{"')
      expect(response.usage).toEqual({ inputTokens: 79, outputTokens: 1, cachedInputTokens: 0 })
    }
    expect(sentBody(replay.server, 1)).toMatchInlineSnapshot(`
      {
        "max_completion_tokens": 1,
        "messages": [
          {
            "content": "What's the weather like in SF?",
            "role": "user",
          },
        ],
        "model": "gpt-4o-2024-08-06",
        "response_format": {
          "json_schema": {
            "name": "Location",
            "schema": {
              "additionalProperties": false,
              "properties": {
                "city": {
                  "type": "string",
                },
                "temperature": {
                  "type": "number",
                },
                "units": {
                  "enum": [
                    "c",
                    "f",
                  ],
                },
              },
              "required": [
                "city",
                "temperature",
                "units",
              ],
              "type": "object",
            },
            "strict": false,
          },
          "type": "json_schema",
        },
        "stream": true,
        "stream_options": {
          "include_usage": true,
        },
      }
    `)
  })

  it('asks for a JSON schema response and returns the JSON as content', async () => {
    replay.server.enqueue(
      { body: jsonFixture('openai-json.json') },
      { chunks: streamFixture('openai-stream-json.sse') },
    )
    const request: ChatRequest = { ...WEATHER_QUESTION, responseFormat: LOCATION_FORMAT }
    const model = replay.provider.chatModel('gpt-4o-2024-08-06')

    expect(JSON.parse((await model.generate(request)).content)).toEqual({
      city: 'San Francisco',
      temperature: 65,
      units: 'f',
    })
    expect(JSON.parse(finishOf(await collect(model.stream(request))).content)).toEqual({
      city: 'San Francisco',
      temperature: 68,
      units: 'f',
    })
    expect(sentBody(replay.server, 0)).toMatchInlineSnapshot(`
      {
        "messages": [
          {
            "content": "What's the weather like in SF?",
            "role": "user",
          },
        ],
        "model": "gpt-4o-2024-08-06",
        "response_format": {
          "json_schema": {
            "name": "Location",
            "schema": {
              "additionalProperties": false,
              "properties": {
                "city": {
                  "type": "string",
                },
                "temperature": {
                  "type": "number",
                },
                "units": {
                  "enum": [
                    "c",
                    "f",
                  ],
                },
              },
              "required": [
                "city",
                "temperature",
                "units",
              ],
              "type": "object",
            },
            "strict": false,
          },
          "type": "json_schema",
        },
        "stream": false,
      }
    `)
  })

  it('reads usage with prompt_tokens_details (cached input included in input)', async () => {
    replay.server.enqueue({ body: jsonFixture('openai-text-usage-details.json') })
    const response = await replay.provider.chatModel('gpt-4.1-nano').generate(WEATHER_QUESTION)
    expect(response.usage).toEqual({ inputTokens: 16, outputTokens: 363, cachedInputTokens: 0 })
    expect(response.model).toBe('gpt-4.1-nano-2025-04-14')
  })

  it('passes providerOptions of its provider through, never over the fields it sets', async () => {
    replay.server.enqueue({ body: jsonFixture('openai-text.json') })
    await replay.provider.chatModel('gpt-4o').generate({
      ...WEATHER_QUESTION,
      providerOptions: {
        openai: { seed: 7, user: 'end-user-42', model: 'ignored', stream: true },
        anthropic: { top_k: 3 },
      },
    })
    expect(sentBody(replay.server)).toMatchObject({
      seed: 7,
      user: 'end-user-42',
      model: 'gpt-4o',
      stream: false,
    })
    expect(sentBody(replay.server)).not.toHaveProperty('top_k')
  })
})

describe('OpenAIChatModel settings for compatible servers', () => {
  it('sends max_tokens, json_object with the schema in the instructions, and no stream_options when told', async () => {
    const compatible = await startOpenAIReplay({
      provider: 'vllm',
      maxTokensParameter: 'max_tokens',
      jsonResponseFormat: 'json_object',
      streamUsage: false,
    })
    try {
      compatible.server.enqueue({ chunks: streamFixture('openai-stream-json.sse') })
      const parts = await collect(
        compatible.provider.chatModel('qwen2.5').stream({
          ...WEATHER_QUESTION,
          system: 'Be brief.',
          maxOutputTokens: 64,
          responseFormat: LOCATION_FORMAT,
        }),
      )
      expect(finishOf(parts).finishReason).toBe('stop')
      expect(sentBody(compatible.server)).toMatchInlineSnapshot(`
        {
          "max_tokens": 64,
          "messages": [
            {
              "content": "Be brief.

        Answer with one JSON object (no prose, no code fence) that matches this JSON Schema, named "Location":
        {"type":"object","properties":{"city":{"type":"string"},"temperature":{"type":"number"},"units":{"enum":["c","f"]}},"required":["city","temperature","units"],"additionalProperties":false}",
              "role": "system",
            },
            {
              "content": "What's the weather like in SF?",
              "role": "user",
            },
          ],
          "model": "qwen2.5",
          "response_format": {
            "type": "json_object",
          },
          "stream": true,
        }
      `)
    } finally {
      await compatible.close()
    }
  })
})
