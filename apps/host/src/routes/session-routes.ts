import type { AgentId, Message, Session, SessionId } from '@agentry/contracts'
import { MESSAGE_ROLES } from '@agentry/contracts'
import { z } from 'zod'
import {
  data,
  envelope,
  Id,
  idParams,
  iso,
  JsonObject,
  listEnvelope,
  PageQuery,
  page,
  Timestamp,
} from '../http/api-schemas.js'
import { defineArea, defineRoute } from '../http/route-definition.js'
import { CitationSchema } from './chat-schemas.js'

const SessionSchema = z
  .object({
    id: z.string(),
    agentId: z.string(),
    channel: z.string(),
    externalUserId: z.string().nullable(),
    summary: z.string().nullable(),
    metadata: JsonObject,
    messageCount: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Session' })

const MessageSchema = z
  .object({
    id: z.string(),
    sessionId: z.string(),
    turnId: z.string(),
    role: z.enum(MESSAGE_ROLES),
    content: z.string(),
    toolCalls: z.array(z.object({ id: z.string(), name: z.string(), argumentsJson: z.string() })),
    toolCallId: z.string().nullable(),
    toolName: z.string().nullable(),
    citations: z.array(CitationSchema),
    createdAt: Timestamp,
  })
  .meta({ id: 'Message' })

function sessionToWire(session: Session): z.input<typeof SessionSchema> {
  return {
    id: session.id,
    agentId: session.agentId,
    channel: session.channel,
    externalUserId: session.externalUserId,
    summary: session.summary,
    metadata: session.metadata as z.input<typeof JsonObject>,
    messageCount: session.messageCount,
    createdAt: iso(session.createdAt),
    updatedAt: iso(session.updatedAt),
  }
}

function messageToWire(message: Message): z.input<typeof MessageSchema> {
  return {
    id: message.id,
    sessionId: message.sessionId,
    turnId: message.turnId,
    role: message.role,
    content: message.content,
    toolCalls: message.toolCalls.map((call) => ({ ...call })),
    toolCallId: message.toolCallId,
    toolName: message.toolName,
    citations: message.citations.map((citation) => ({ ...citation })),
    createdAt: iso(message.createdAt),
  }
}

const SessionParams = idParams('sessionId')

export const sessionRoutes = defineArea('sessions', [
  defineRoute({
    method: 'GET',
    url: '/sessions',
    access: 'sessions:view',
    summary: 'List sessions, most recently active first',
    schema: {
      querystring: PageQuery.extend({
        agentId: Id.optional().describe('Only this agent’s sessions.'),
        externalUserId: z.string().min(1).max(200).optional().describe('Only this end user’s sessions.'),
      }),
      response: { 200: listEnvelope(SessionSchema) },
    },
    handler: async ({ query, context, signal }, { sessions }) => {
      const { limit, cursor, agentId, externalUserId } = query
      const filter = {
        ...(agentId ? { agentId: agentId as AgentId } : {}),
        ...(externalUserId ? { externalUserId } : {}),
      }
      return page(await sessions.list(context, filter, { limit, cursor }, { signal }), sessionToWire)
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/sessions/:sessionId',
    access: 'sessions:view',
    summary: 'Get a session',
    schema: { params: SessionParams, response: { 200: envelope(SessionSchema) } },
    handler: async ({ params, context, signal }, { sessions }) =>
      data(sessionToWire(await sessions.get(context, params.sessionId as SessionId, { signal }))),
  }),
  defineRoute({
    method: 'GET',
    url: '/sessions/:sessionId/messages',
    access: 'sessions:view',
    summary: 'List a session’s messages, oldest first (or newest first with order=desc)',
    schema: {
      params: SessionParams,
      querystring: PageQuery.extend({ order: z.enum(['asc', 'desc']).default('asc') }),
      response: { 200: listEnvelope(MessageSchema) },
    },
    handler: async ({ params, query, context, signal }, { sessions }) =>
      page(
        await sessions.listMessages(context, params.sessionId as SessionId, query, { signal }),
        messageToWire,
      ),
  }),
])
