import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/** One piece of a streamed body; `delayMs` waits before writing it. */
export type ReplayChunk = string | { readonly text: string; readonly delayMs?: number }

/**
 * What the server answers to one request. Give `body` (JSON, or a string sent as is) or `chunks`
 * (written in order as `text/event-stream` unless `headers` says otherwise).
 * `fault: 'hang'` never answers: the request stays open until the client gives up or the server
 * closes. `fault: 'drop'` destroys the connection: at once, or after the `chunks` when given.
 */
export interface ReplayResponse {
  readonly status?: number
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: unknown
  readonly chunks?: readonly ReplayChunk[]
  readonly fault?: 'hang' | 'drop'
}

/** A request as the server received it; `body` is parsed JSON, or the raw text when not JSON. */
export interface RecordedRequest {
  readonly method: string
  /** Path and query string, e.g. `/v1/chat/completions`. */
  readonly path: string
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: unknown
}

export type ReplayResponder = (request: RecordedRequest) => ReplayResponse

/**
 * A local HTTP server for adapter tests: real SDKs talk to it as if it were the provider. Answers
 * come from the queue (first in, first out), else from the `respondWith` responder; a request with
 * neither gets a 501 that names it. Every request is recorded, answered or not.
 */
export interface ReplayServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string
  readonly requests: readonly RecordedRequest[]
  /** Queues answers for the next requests, in order. */
  enqueue(...responses: readonly (ReplayResponse | ReplayResponder)[]): void
  /** Answers every request the queue does not cover. */
  respondWith(responder: ReplayResponder): void
  /** Queued answers not yet used. */
  pending(): number
  /** Resolves once `count` requests in total have arrived. */
  waitForRequests(count: number): Promise<readonly RecordedRequest[]>
  /** Ends open (hung or streaming) connections and stops listening. */
  close(): Promise<void>
}

export async function startReplayServer(): Promise<ReplayServer> {
  const queue: (ReplayResponse | ReplayResponder)[] = []
  const requests: RecordedRequest[] = []
  const sockets = new Set<Socket>()
  const waiters: { count: number; resolve: () => void }[] = []
  let fallback: ReplayResponder | undefined

  const server = createServer((incoming, outgoing) => {
    void handle(incoming, outgoing)
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  async function handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const recorded = await record(incoming)
    requests.push(recorded)
    for (const waiter of waiters.filter((entry) => requests.length >= entry.count)) {
      waiters.splice(waiters.indexOf(waiter), 1)
      waiter.resolve()
    }
    const next = queue.shift() ?? fallback
    if (!next) {
      outgoing.writeHead(501, { 'content-type': 'application/json' })
      outgoing.end(
        JSON.stringify({
          error: { message: `replay server: nothing queued for ${recorded.method} ${recorded.path}` },
        }),
      )
      return
    }
    await respond(typeof next === 'function' ? next(recorded) : next, outgoing)
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...responses) => {
      queue.push(...responses)
    },
    respondWith: (responder) => {
      fallback = responder
    },
    pending: () => queue.length,
    waitForRequests: (count) =>
      requests.length >= count
        ? Promise.resolve(requests)
        : new Promise((resolve) => waiters.push({ count, resolve: () => resolve(requests) })),
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

async function record(incoming: IncomingMessage): Promise<RecordedRequest> {
  const pieces: Buffer[] = []
  for await (const piece of incoming) pieces.push(piece as Buffer)
  const text = Buffer.concat(pieces).toString('utf8')
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return { method: incoming.method ?? 'GET', path: incoming.url ?? '/', headers, body: parseBody(text) }
}

function parseBody(text: string): unknown {
  if (text === '') return null
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

async function respond(response: ReplayResponse, outgoing: ServerResponse): Promise<void> {
  if (response.fault === 'hang') return
  if (response.fault === 'drop' && !response.chunks) {
    outgoing.socket?.destroy()
    return
  }
  const status = response.status ?? 200
  if (response.chunks) {
    outgoing.writeHead(status, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      ...response.headers,
    })
    outgoing.flushHeaders()
    for (const chunk of response.chunks) {
      const { text, delayMs } = typeof chunk === 'string' ? { text: chunk, delayMs: 0 } : chunk
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs))
      if (outgoing.destroyed) return
      outgoing.write(text)
    }
    if (response.fault === 'drop') outgoing.socket?.destroy()
    else outgoing.end()
    return
  }
  const isText = typeof response.body === 'string'
  const body =
    response.body === undefined ? '' : isText ? (response.body as string) : JSON.stringify(response.body)
  outgoing.writeHead(status, {
    'content-type': isText ? 'text/plain' : 'application/json',
    ...response.headers,
  })
  outgoing.end(body)
}

/**
 * Splits a recorded `text/event-stream` body into its events (each ending in a blank line), so a
 * test can replay them one by one, with delays or a drop in between.
 */
export function splitServerSentEvents(text: string): string[] {
  return text
    .replace(/\r\n/g, '\n')
    .split(/\n\n+/)
    .filter((event) => event.trim() !== '')
    .map((event) => `${event}\n\n`)
}

/**
 * Frames JSON payloads as server-sent events: `data: <json>`, preceded by `event: <name>` when
 * `eventName` gives one (Anthropic names each event after its `type`), optionally ending with
 * `data: [DONE]` (OpenAI and compatible servers).
 */
export function toServerSentEvents(
  payloads: readonly unknown[],
  options: { readonly eventName?: (payload: unknown) => string | undefined; readonly done?: boolean } = {},
): string[] {
  const events = payloads.map((payload) => {
    const name = options.eventName?.(payload)
    return `${name ? `event: ${name}\n` : ''}data: ${JSON.stringify(payload)}\n\n`
  })
  return options.done ? [...events, 'data: [DONE]\n\n'] : events
}
