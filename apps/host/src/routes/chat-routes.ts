import type { AgentId, SessionId } from '@agentry/contracts'
import { collectTurn, type TurnRequest } from '@agentry/core'
import { data, envelope, idParams } from '../http/api-schemas.js'
import { defineArea, defineRoute } from '../http/route-definition.js'
import { streamTurnEvents } from '../http/turn-event-stream.js'
import { ChatBody, ChatHeaders, ChatQuery, ChatResultSchema, chatResultToWire } from './chat-schemas.js'

export const chatRoutes = defineArea('chat', [
  defineRoute({
    method: 'POST',
    url: '/agents/:agentId/chat',
    access: 'chat:send',
    summary: 'Send a message to an agent and get its answer',
    description:
      'Answers JSON by default. With `Accept: text/event-stream`, `?stream=true` or `"stream": true` the ' +
      'answer is server-sent events named after the turn events (`turn-start`, `text-delta`, ' +
      '`tool-call-start`, `tool-result`, `citation`, `usage`, then `turn-end` with the same object as ' +
      'the JSON `data`, or `error` with the error object). Closing the connection cancels the turn.',
    schema: {
      params: idParams('agentId'),
      querystring: ChatQuery,
      headers: ChatHeaders,
      body: ChatBody,
      response: { 200: envelope(ChatResultSchema) },
    },
    handler: async (
      { params, query, body, headers, context, signal, request, reply },
      { agentry, turns },
    ) => {
      const isStream =
        query.stream ?? body.stream ?? (headers.accept ?? '').toLowerCase().includes('text/event-stream')
      const turn = turns.start()
      const onAbort = () => turn.abort('The client closed the connection before the turn ended.')
      signal.addEventListener('abort', onAbort, { once: true })
      const turnRequest: TurnRequest = {
        context,
        agentId: params.agentId as AgentId,
        message: body.message,
        channel: 'api',
        stream: isStream,
        signal: turn.signal,
        ...(body.sessionId ? { sessionId: body.sessionId as SessionId } : {}),
        ...(body.externalUserId ? { externalUserId: body.externalUserId } : {}),
        ...(body.metadata ? { metadata: body.metadata } : {}),
        ...(headers['idempotency-key'] ? { idempotencyKey: headers['idempotency-key'] } : {}),
      }
      try {
        const events = agentry.orchestrator.run(turnRequest)
        if (!isStream) return data(chatResultToWire(await collectTurn(events)))
        const first = await events.next()
        if (first.done) return undefined
        // Refused before it started (permission, missing agent or session): a normal error reply.
        if (first.value.type === 'error') throw first.value.error
        await streamTurnEvents(request, reply, first.value, events)
        return undefined
      } finally {
        signal.removeEventListener('abort', onAbort)
        turn.finish()
      }
    },
  }),
])
