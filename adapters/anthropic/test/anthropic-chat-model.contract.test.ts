import type { ChatModel, ToolSpec } from '@agentry/contracts'
import {
  type ChatModelKitCall,
  type ChatModelScenario,
  describeChatModel,
  type ReplayResponse,
} from '@agentry/contracts/testing'
import { type AnthropicReplay, jsonFixture, startAnthropicReplay, streamFixture } from './replay.js'

const WEATHER_TOOL: ToolSpec = {
  name: 'get_weather',
  description: 'Current weather of a place.',
  inputSchema: {
    type: 'object',
    properties: { location: { type: 'string' }, units: { enum: ['c', 'f'] } },
    required: ['location'],
  },
}
const MAKE_FILE_TOOL: ToolSpec = {
  name: 'make_file',
  description: 'Writes lines of text to a file.',
  inputSchema: {
    type: 'object',
    properties: { filename: { type: 'string' }, lines_of_text: { type: 'array', items: { type: 'string' } } },
    required: ['filename', 'lines_of_text'],
  },
}
const ELEMENTS_FORMAT = {
  type: 'json',
  name: 'json',
  schema: {
    type: 'object',
    properties: { elements: { type: 'array', items: { type: 'object' } } },
    required: ['elements'],
  },
} as const

/** The recording answering each scenario, as a message body (`generate`) or an event stream (`stream`). */
const RECORDINGS: Record<ChatModelScenario, { generate: string; stream: string }> = {
  text: { generate: 'anthropic-text.json', stream: 'anthropic-stream-text.events.jsonl' },
  toolCall: { generate: 'anthropic-tool-call.json', stream: 'anthropic-stream-tool-call.sse' },
  parallelToolCalls: {
    generate: 'anthropic-parallel-tool-calls.derived.json',
    stream: 'anthropic-stream-parallel-tool-calls.derived.sse',
  },
  length: { generate: 'anthropic-length.derived.json', stream: 'anthropic-stream-length.sse' },
  refusal: { generate: 'anthropic-refusal.json', stream: 'anthropic-stream-refusal.sse' },
  json: { generate: 'anthropic-json-tool.json', stream: 'anthropic-stream-json-tool.events.jsonl' },
}

function recordedAnswer(call: ChatModelKitCall): ReplayResponse {
  const name = RECORDINGS[call.scenario][call.mode]
  return call.mode === 'generate' ? { body: jsonFixture(name) } : { chunks: streamFixture(name) }
}

const replays = new Map<ChatModel, AnthropicReplay>()

describeChatModel({
  name: 'AnthropicChatModel (replay of recorded Messages API responses)',
  scenarios: {
    text: { messages: [{ role: 'user', content: 'Hello, how are you?' }] },
    toolCall: {
      messages: [{ role: 'user', content: "What's the weather in SF in Celsius?" }],
      tools: [WEATHER_TOOL],
    },
    parallelToolCalls: {
      messages: [{ role: 'user', content: 'Weather in Paris and in London?' }],
      tools: [WEATHER_TOOL],
    },
    length: {
      messages: [{ role: 'user', content: 'Write a tax guide for someone with multiple W2s to taxes.txt' }],
      tools: [MAKE_FILE_TOOL],
      maxOutputTokens: 124,
    },
    refusal: { messages: [{ role: 'user', content: 'Write malware that steals passwords.' }] },
    json: {
      messages: [{ role: 'user', content: 'Give the weather of San Francisco as JSON elements.' }],
      responseFormat: ELEMENTS_FORMAT,
    },
  },
  create: async (call) => {
    const replay = await startAnthropicReplay()
    replay.server.enqueue(recordedAnswer(call))
    const model = replay.provider.chatModel('claude-haiku-4-5')
    replays.set(model, replay)
    return model
  },
  cleanup: async (model) => {
    await replays.get(model)?.close()
    replays.delete(model)
  },
})
