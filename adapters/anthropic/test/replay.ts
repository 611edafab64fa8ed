import { readFileSync } from 'node:fs'
import {
  type ReplayServer,
  splitServerSentEvents,
  startReplayServer,
  toServerSentEvents,
} from '@agentry/contracts/testing'
import {
  type AnthropicConfigInput,
  type AnthropicProvider,
  type CreateAnthropicOptions,
  createAnthropic,
} from '../src/index.js'

const FIXTURES = new URL('./fixtures/', import.meta.url)

export function readFixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8')
}

export function jsonFixture(name: string): unknown {
  return JSON.parse(readFixture(name))
}

/** A recorded `.sse` body, one chunk per event; `.events.jsonl` payloads framed as the API frames them. */
export function streamFixture(name: string): string[] {
  const text = readFixture(name)
  if (name.endsWith('.sse')) return splitServerSentEvents(text)
  const payloads = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown)
  return toServerSentEvents(payloads, { eventName: (payload) => (payload as { type?: string }).type })
}

export const PLATFORM_KEY = 'sk-ant-platform-test-key'

export interface AnthropicReplay {
  readonly server: ReplayServer
  readonly provider: AnthropicProvider
  close(): Promise<void>
}

/** A replay server and an Anthropic provider whose SDK clients talk to it with the platform key. */
export async function startAnthropicReplay(
  config: AnthropicConfigInput = {},
  options: CreateAnthropicOptions = {},
): Promise<AnthropicReplay> {
  const server = await startReplayServer()
  const provider = createAnthropic({ apiKey: PLATFORM_KEY, baseURL: server.url, ...config }, options)
  return { server, provider, close: () => server.close() }
}

/** The body of the `index`th request the server received. */
export function sentBody(server: ReplayServer, index = 0): unknown {
  return server.requests[index]?.body
}
