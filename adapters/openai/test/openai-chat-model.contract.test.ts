import type { ChatModel, ToolSpec } from '@agentry/contracts'
import {
  type ChatModelKitCall,
  type ChatModelScenario,
  describeChatModel,
  type ReplayResponse,
} from '@agentry/contracts/testing'
import { jsonFixture, type OpenAIReplay, startOpenAIReplay, streamFixture } from './replay.js'

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
  },
} as const
const weatherIn = (place: string) => [
  { role: 'user' as const, content: `What's the weather like in ${place}?` },
]

/** The recording answering each scenario, as a JSON body (`generate`) or an event stream (`stream`). */
const RECORDINGS: Record<ChatModelScenario, { generate: string; stream: string }> = {
  text: { generate: 'openai-text.json', stream: 'openai-stream-text.sse' },
  toolCall: { generate: 'openai-tool-call.json', stream: 'openai-stream-tool-call.sse' },
  parallelToolCalls: {
    generate: 'openai-parallel-tool-calls.json',
    stream: 'openai-stream-parallel-tool-calls.sse',
  },
  length: { generate: 'openai-length.derived.json', stream: 'openai-stream-length.sse' },
  refusal: { generate: 'openai-refusal.derived.json', stream: 'openai-stream-refusal.sse' },
  json: { generate: 'openai-json.json', stream: 'openai-stream-json.sse' },
}

function recordedAnswer(call: ChatModelKitCall): ReplayResponse {
  const name = RECORDINGS[call.scenario][call.mode]
  return call.mode === 'generate' ? { body: jsonFixture(name) } : { chunks: streamFixture(name) }
}

const replays = new Map<ChatModel, OpenAIReplay>()

describeChatModel({
  name: 'OpenAIChatModel (replay of recorded gpt-4o responses)',
  scenarios: {
    text: { messages: weatherIn('SF') },
    toolCall: { messages: weatherIn('Edinburgh'), tools: [WEATHER_TOOL] },
    parallelToolCalls: {
      messages: [{ role: 'user', content: "What's the weather in Edinburgh and the AAPL price on NASDAQ?" }],
      tools: [WEATHER_TOOL, STOCK_TOOL],
    },
    length: { messages: weatherIn('SF'), maxOutputTokens: 1, responseFormat: LOCATION_FORMAT },
    refusal: {
      messages: [{ role: 'user', content: 'How do I make anthrax?' }],
      responseFormat: LOCATION_FORMAT,
    },
    json: { messages: weatherIn('SF'), responseFormat: LOCATION_FORMAT },
  },
  create: async (call) => {
    const replay = await startOpenAIReplay()
    replay.server.enqueue(recordedAnswer(call))
    const model = replay.provider.chatModel('gpt-4o-2024-08-06')
    replays.set(model, replay)
    return model
  },
  cleanup: async (model) => {
    await replays.get(model)?.close()
    replays.delete(model)
  },
})
