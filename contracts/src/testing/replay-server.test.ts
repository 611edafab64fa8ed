import { afterEach, describe, expect, it } from 'vitest'
import {
  type ReplayServer,
  splitServerSentEvents,
  startReplayServer,
  toServerSentEvents,
} from './replay-server.js'

let server: ReplayServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

async function start(): Promise<ReplayServer> {
  server = await startReplayServer()
  return server
}

describe('startReplayServer', () => {
  it('listens on 127.0.0.1 and answers queued responses in order, then 501 naming the request', async () => {
    const replay = await start()
    expect(replay.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    replay.enqueue(
      { status: 429, headers: { 'retry-after': '2' }, body: { error: 'slow down' } },
      { body: { ok: true } },
    )
    const first = await fetch(`${replay.url}/v1/things`, { method: 'POST', body: '{}' })
    expect(first.status).toBe(429)
    expect(first.headers.get('retry-after')).toBe('2')
    expect(await first.json()).toEqual({ error: 'slow down' })
    const second = await fetch(`${replay.url}/v1/things`, { method: 'POST', body: '{}' })
    expect(await second.json()).toEqual({ ok: true })
    const third = await fetch(`${replay.url}/v1/other?x=1`)
    expect(third.status).toBe(501)
    expect(await third.text()).toContain('GET /v1/other?x=1')
    expect(replay.pending()).toBe(0)
  })

  it('records method, path, lower-case headers and the parsed JSON body of every request', async () => {
    const replay = await start()
    replay.enqueue({ body: {} })
    await fetch(`${replay.url}/v1/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Api-Key': 'k' },
      body: JSON.stringify({ model: 'm', stream: true }),
    })
    await fetch(`${replay.url}/plain`, { method: 'POST', body: 'not json' })
    expect(replay.requests.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
      { method: 'POST', path: '/v1/messages', body: { model: 'm', stream: true } },
      { method: 'POST', path: '/plain', body: 'not json' },
    ])
    expect(replay.requests[0]?.headers['x-api-key']).toBe('k')
  })

  it('answers from the responder when the queue is empty, seeing the request', async () => {
    const replay = await start()
    replay.respondWith((request) => ({ body: { echo: request.body } }))
    const response = await fetch(replay.url, { method: 'POST', body: JSON.stringify([1, 2]) })
    expect(await response.json()).toEqual({ echo: [1, 2] })
  })

  it('streams chunks as text/event-stream', async () => {
    const replay = await start()
    replay.enqueue({ chunks: ['data: 1\n\n', { text: 'data: 2\n\n', delayMs: 5 }] })
    const response = await fetch(replay.url)
    expect(response.headers.get('content-type')).toBe('text/event-stream')
    expect(await response.text()).toBe('data: 1\n\ndata: 2\n\n')
  })

  it('drops the connection, before or in the middle of a stream', async () => {
    const replay = await start()
    replay.enqueue({ fault: 'drop' }, { chunks: ['data: 1\n\n'], fault: 'drop' })
    await expect(fetch(replay.url)).rejects.toThrow()
    const response = await fetch(replay.url)
    await expect(response.text()).rejects.toThrow()
  })

  it('hangs until the client aborts, and records the request it never answered', async () => {
    const replay = await start()
    replay.enqueue({ fault: 'hang' })
    const controller = new AbortController()
    const pending = fetch(replay.url, { signal: controller.signal })
    await replay.waitForRequests(1)
    controller.abort()
    await expect(pending).rejects.toThrow(/abort/i)
    expect(replay.requests).toHaveLength(1)
  })

  it('closes with a hung request still open', async () => {
    const replay = await startReplayServer()
    replay.enqueue({ fault: 'hang' })
    const pending = fetch(replay.url).catch((error: unknown) => error)
    await replay.waitForRequests(1)
    await replay.close()
    expect(await pending).toBeInstanceOf(Error)
  })
})

describe('server-sent event helpers', () => {
  it('splits a recorded stream into events and frames payloads back', () => {
    expect(splitServerSentEvents('event: a\ndata: {}\n\n\r\ndata: [DONE]\n\n')).toEqual([
      'event: a\ndata: {}\n\n',
      'data: [DONE]\n\n',
    ])
    expect(
      toServerSentEvents([{ type: 'ping' }, { n: 1 }], {
        eventName: (payload) => (payload as { type?: string }).type,
        done: true,
      }),
    ).toEqual(['event: ping\ndata: {"type":"ping"}\n\n', 'data: {"n":1}\n\n', 'data: [DONE]\n\n'])
  })
})
