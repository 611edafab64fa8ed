import type { AgentId, SessionId, ToolId } from '@agentry/contracts'
import { TOOL_NAME_PATTERN } from '@agentry/contracts'
import { z } from 'zod'
import {
  data,
  envelope,
  Id,
  idParams,
  listEnvelope,
  NoContent,
  PageQuery,
  page,
} from '../http/api-schemas.js'
import { defineArea, defineRoute } from '../http/route-definition.js'
import {
  ToolCallSchema,
  ToolSchema,
  ToolTestResultSchema,
  toolCallToWire,
  toolToWire,
} from './tool-schemas.js'

const ToolParams = idParams('toolId')

const ToolBody = z
  .record(z.string(), z.unknown())
  .describe(
    'A tool definition: name, kind (builtin | http | workflow), description, inputSchema (JSON Schema 2020-12), ' +
      'and for http tools http { method, url, query, headers, body, auth }. See docs/tools.md.',
  )

const ToolPatchBody = z
  .record(z.string(), z.unknown())
  .describe('Any top-level fields of a tool definition; the whole definition is checked again.')

const TestBody = z
  .object({
    arguments: z
      .record(z.string(), z.json())
      .default({})
      .describe('The arguments, as a model would send them.'),
  })
  .strict()

export const toolRoutes = defineArea('tools', [
  defineRoute({
    method: 'POST',
    url: '/tools',
    access: 'tools:manage',
    status: 201,
    summary: 'Define a tool (its schemas are compiled and its URL checked when saved)',
    schema: { body: ToolBody, response: { 201: envelope(ToolSchema) } },
    handler: async ({ body, context, signal }, { agentry }) =>
      data(toolToWire(await agentry.toolDefinitions.create(context, body as never, { signal }))),
  }),
  defineRoute({
    method: 'GET',
    url: '/tools',
    access: 'tools:view',
    summary: 'List the company’s tools by name',
    schema: { querystring: PageQuery, response: { 200: listEnvelope(ToolSchema) } },
    handler: async ({ query, context, signal }, { agentry }) =>
      page(await agentry.toolDefinitions.list(context, query, { signal }), toolToWire),
  }),
  defineRoute({
    method: 'GET',
    url: '/tools/:toolId',
    access: 'tools:view',
    summary: 'Get a tool',
    schema: { params: ToolParams, response: { 200: envelope(ToolSchema) } },
    handler: async ({ params, context, signal }, { agentry }) =>
      data(toolToWire(await agentry.toolDefinitions.get(context, params.toolId as ToolId, { signal }))),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/tools/:toolId',
    access: 'tools:manage',
    summary: 'Change some fields of a tool',
    schema: { params: ToolParams, body: ToolPatchBody, response: { 200: envelope(ToolSchema) } },
    handler: async ({ params, body, context, signal }, { agentry }) =>
      data(
        toolToWire(
          await agentry.toolDefinitions.update(context, params.toolId as ToolId, body as never, { signal }),
        ),
      ),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/tools/:toolId',
    access: 'tools:manage',
    status: 204,
    summary: 'Delete a tool (agents that allowlist its name no longer see it)',
    schema: { params: ToolParams, response: { 204: NoContent } },
    handler: async ({ params, context, signal }, { agentry }) => {
      await agentry.toolDefinitions.delete(context, params.toolId as ToolId, { signal })
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/tools/:toolId/test',
    access: 'tools:manage',
    summary: 'Run a tool once with the given arguments, for real (dry run of its definition)',
    description:
      'The call goes through validation, budgets, rate limit, the outbound guard and the audit trail like a ' +
      'call from a turn. A failing call is 200 with ok: false and the error the model would see.',
    schema: { params: ToolParams, body: TestBody, response: { 200: envelope(ToolTestResultSchema) } },
    handler: async ({ params, body, context, signal }, { agentry }) =>
      data(await agentry.toolDefinitions.test(context, params.toolId as ToolId, body.arguments, { signal })),
  }),
  defineRoute({
    method: 'GET',
    url: '/tool-calls',
    access: 'tools:view',
    summary: 'The tool-call audit trail, newest first (arguments and results redacted)',
    schema: {
      querystring: PageQuery.extend({
        toolName: z.string().regex(TOOL_NAME_PATTERN).optional().describe('e.g. crm.lookup'),
        agentId: Id.optional(),
        sessionId: Id.optional(),
      }),
      response: { 200: listEnvelope(ToolCallSchema) },
    },
    handler: async ({ query, context, signal }, { agentry }) => {
      const { limit, cursor, toolName, agentId, sessionId } = query
      const filter = {
        ...(toolName ? { toolName } : {}),
        ...(agentId ? { agentId: agentId as AgentId } : {}),
        ...(sessionId ? { sessionId: sessionId as SessionId } : {}),
      }
      return page(
        await agentry.toolDefinitions.listCalls(context, filter, { limit, cursor }, { signal }),
        toolCallToWire,
      )
    },
  }),
])
