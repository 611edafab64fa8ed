import type { TurnEvent } from '@agentry/contracts'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { chatResultToWire } from '../routes/chat-schemas.js'
import { errorBody } from './error-reply.js'

const HEARTBEAT_MS = 15_000

/** One server-sent event: its name is the TurnEvent's type, its data the event as JSON. */
export function formatTurnEvent(event: TurnEvent, requestId: string): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(eventData(event, requestId))}\n\n`
}

/**
 * The event's fields without `type`; `turn-end` carries the same result the JSON reply's `data`
 * has, `error` the same object the error envelope's `error` has.
 */
function eventData(event: TurnEvent, requestId: string): unknown {
  if (event.type === 'turn-end') return chatResultToWire(event.result)
  if (event.type === 'error') return errorBody(event.error, requestId).error
  const { type: _type, ...rest } = event
  return rest
}

/**
 * Streams a turn's events as `text/event-stream`, starting with `first` (already read, so a
 * refused turn could still answer with a normal error status). Stops reading when the client goes
 * away, which cancels the turn; comments keep idle connections open through proxies.
 */
export async function streamTurnEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  first: TurnEvent,
  rest: AsyncIterator<TurnEvent>,
): Promise<void> {
  reply.hijack()
  const raw = reply.raw
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': request.id,
  })
  const heartbeat = setInterval(() => {
    if (!raw.destroyed) raw.write(': keep-alive\n\n')
  }, HEARTBEAT_MS)
  try {
    raw.write(formatTurnEvent(first, request.id))
    while (!raw.destroyed) {
      const next = await rest.next()
      if (next.done) break
      raw.write(formatTurnEvent(next.value, request.id))
    }
  } finally {
    clearInterval(heartbeat)
    if (raw.destroyed) await rest.return?.()
    raw.end()
  }
}
