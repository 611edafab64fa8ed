import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { waitUntil } from '@agentry/contracts/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config/load-config.js'
import { type RunningServer, startServer } from '../src/server.js'
import { parseServerSentEvents } from './support/server-sent-events.js'
import { ADMIN_TOKEN } from './support/test-platform.js'

const directories: string[] = []
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true })
})

async function start(environment: Record<string, string>): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'agentry-shutdown-'))
  directories.push(dataDir)
  const config = loadConfig({
    PORT: '0',
    AGENTRY_DATA_DIR: dataDir,
    AGENTRY_ADMIN_TOKEN: ADMIN_TOKEN,
    AGENTRY_SEED_DEMO: 'false',
    AGENTRY_LOG_LEVEL: 'silent',
    ...environment,
  })
  return startServer(config, { mode: 'all', print: () => undefined })
}

async function json(url: string, token: string, body: unknown): Promise<{ data: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return (await response.json()) as { data: Record<string, unknown> }
}

/** Starts a streamed turn and resolves once its `turn-start` arrived, with a promise of the whole stream. */
async function startStreamedTurn(server: RunningServer, controller = new AbortController()) {
  const base = `${server.url}/api/v1`
  const company = await json(`${base}/companies`, ADMIN_TOKEN, { name: 'Acme' })
  const apiKey = company.data.apiKey as string
  const agent = await json(`${base}/agents`, apiKey, {
    name: 'Slow',
    config: { providerOptions: { local: { rules: [{ when: { always: true }, reply: 'Done: {{input}}' }] } } },
  })
  const response = await fetch(`${base}/agents/${agent.data.id}/chat`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${apiKey}`,
      'content-type': 'application/json',
      accept: 'text/event-stream',
    },
    body: JSON.stringify({ message: 'finish me' }),
    signal: controller.signal,
  })
  const reader = response.body!.getReader()
  const decoder = new TextDecoder()
  let text = ''
  while (!text.includes('event: turn-start')) {
    const chunk = await reader.read()
    if (chunk.done) throw new Error(`stream ended before turn-start: ${text}`)
    text += decoder.decode(chunk.value, { stream: true })
  }
  const rest = (async () => {
    for (;;) {
      const chunk = await reader.read()
      if (chunk.done) return parseServerSentEvents(text)
      text += decoder.decode(chunk.value, { stream: true })
    }
  })()
  const start = parseServerSentEvents(text)[0]?.data as { sessionId: string }
  return { rest, apiKey, sessionId: start.sessionId, base }
}

describe('graceful shutdown and cancellation', () => {
  it('lets a running turn finish, then stops accepting connections', async () => {
    const server = await start({ AGENTRY_LOCAL_MODEL_LATENCY_MS: '1500', AGENTRY_SHUTDOWN_GRACE_MS: '20000' })
    const { rest } = await startStreamedTurn(server)
    await server.stop()
    const events = await rest
    expect(events.at(-1)).toMatchObject({
      event: 'turn-end',
      data: { message: { content: 'Done: finish me' } },
    })
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow()
  })

  it('cancels a turn still running when the grace period ends', async () => {
    const server = await start({ AGENTRY_LOCAL_MODEL_LATENCY_MS: '60000', AGENTRY_SHUTDOWN_GRACE_MS: '200' })
    const { rest } = await startStreamedTurn(server)
    await server.stop()
    const events = await rest
    expect(events.at(-1)).toMatchObject({ event: 'error', data: { code: 'CANCELLED' } })
  })

  it('cancels the turn of a client that disconnects: only the user message is stored', async () => {
    const server = await start({
      AGENTRY_LOCAL_MODEL_LATENCY_MS: '60000',
      AGENTRY_SHUTDOWN_GRACE_MS: '60000',
    })
    try {
      const controller = new AbortController()
      const { rest, apiKey, sessionId, base } = await startStreamedTurn(server, controller)
      controller.abort()
      await rest.catch(() => undefined)
      const messages = await waitUntil(
        async () => {
          const response = await fetch(`${base}/sessions/${sessionId}/messages`, {
            headers: { authorization: `Bearer ${apiKey}` },
          })
          return response.status === 200
            ? ((await response.json()) as { data: { role: string }[] }).data
            : null
        },
        { timeoutMs: 20_000, message: 'the cancelled turn was never stored' },
      )
      expect(messages.map((message) => message.role)).toEqual(['user'])
    } finally {
      await server.stop()
    }
  })
})
