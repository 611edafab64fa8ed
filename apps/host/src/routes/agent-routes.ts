import type { AgentId } from '@agentry/contracts'
import { AGENT_KINDS } from '@agentry/contracts'
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
  AgentConfigBody,
  AgentSchema,
  AgentVersionSchema,
  AgentWithConfigSchema,
  agentToWire,
  agentVersionToWire,
  agentWithConfigToWire,
} from './agent-schemas.js'

const Name = z.string().trim().min(1).max(120)
const Note = z.string().trim().max(500).optional().describe('Why this version was made.')
const VersionNumber = z.coerce.number().int().min(1).max(1_000_000)
const AgentParams = idParams('agentId')
const VersionParams = z.object({ agentId: Id, version: VersionNumber })

const CreateAgentBody = z
  .object({
    name: Name,
    kind: z.enum(AGENT_KINDS).optional(),
    config: AgentConfigBody.optional(),
    note: Note,
  })
  .strict()

const UpdateConfigBody = z
  .object({
    config: AgentConfigBody,
    note: Note,
    expectedVersion: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('The latest version you edited; if someone saved a newer one, 409 CONFLICT.'),
  })
  .strict()

function setStatusRoute(status: 'active' | 'disabled') {
  const verb = status === 'active' ? 'enable' : 'disable'
  return defineRoute({
    method: 'POST',
    url: `/agents/:agentId/${verb}`,
    access: 'agents:manage',
    summary:
      status === 'active' ? 'Enable an agent' : 'Disable an agent (it refuses new turns, keeps history)',
    schema: { params: AgentParams, response: { 200: envelope(AgentSchema) } },
    handler: async ({ params, context, signal }, { agentry }) =>
      data(
        agentToWire(await agentry.agents.setStatus(context, params.agentId as AgentId, status, { signal })),
      ),
  })
}

export const agentRoutes = defineArea('agents', [
  defineRoute({
    method: 'POST',
    url: '/agents',
    access: 'agents:manage',
    status: 201,
    summary: 'Create an agent (its config becomes version 1)',
    schema: { body: CreateAgentBody, response: { 201: envelope(AgentWithConfigSchema) } },
    handler: async ({ body, context, signal }, { agentry }) => {
      const { agent, version } = await agentry.agents.create(context, body, { signal })
      return data(agentWithConfigToWire(agent, version.config))
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/agents',
    access: 'agents:view',
    summary: 'List agents, newest first',
    schema: { querystring: PageQuery, response: { 200: listEnvelope(AgentSchema) } },
    handler: async ({ query, context, signal }, { agentry }) =>
      page(await agentry.agents.list(context, query, { signal }), agentToWire),
  }),
  defineRoute({
    method: 'GET',
    url: '/agents/:agentId',
    access: 'agents:view',
    summary: 'Get an agent with the config its turns run on',
    schema: { params: AgentParams, response: { 200: envelope(AgentWithConfigSchema) } },
    handler: async ({ params, context, signal }, { agentry }) => {
      const { agent, version } = await agentry.agents.getCurrent(context, params.agentId as AgentId, {
        signal,
      })
      return data(agentWithConfigToWire(agent, version.config))
    },
  }),
  defineRoute({
    method: 'PATCH',
    url: '/agents/:agentId',
    access: 'agents:manage',
    summary: 'Rename an agent',
    schema: {
      params: AgentParams,
      body: z.object({ name: Name }).strict(),
      response: { 200: envelope(AgentSchema) },
    },
    handler: async ({ params, body, context, signal }, { agentry }) =>
      data(
        agentToWire(await agentry.agents.rename(context, params.agentId as AgentId, body.name, { signal })),
      ),
  }),
  defineRoute({
    method: 'PUT',
    url: '/agents/:agentId/config',
    access: 'agents:manage',
    summary: 'Save a new config: a new immutable version that becomes current',
    schema: {
      params: AgentParams,
      body: UpdateConfigBody,
      response: { 200: envelope(AgentWithConfigSchema) },
    },
    handler: async ({ params, body, context, signal }, { agentry }) => {
      const { agent, version } = await agentry.agents.updateConfig(context, params.agentId as AgentId, body, {
        signal,
      })
      return data(agentWithConfigToWire(agent, version.config))
    },
  }),
  setStatusRoute('disabled'),
  setStatusRoute('active'),
  defineRoute({
    method: 'DELETE',
    url: '/agents/:agentId',
    access: 'agents:manage',
    status: 204,
    summary: 'Delete an agent with its versions, sessions and messages (usage and audit stay)',
    schema: { params: AgentParams, response: { 204: NoContent } },
    handler: async ({ params, context, signal }, { agentry }) => {
      await agentry.agents.delete(context, params.agentId as AgentId, { signal })
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/agents/:agentId/versions',
    access: 'agents:view',
    summary: 'List an agent’s versions, newest first',
    schema: {
      params: AgentParams,
      querystring: PageQuery,
      response: { 200: listEnvelope(AgentVersionSchema) },
    },
    handler: async ({ params, query, context, signal }, { agentry }) =>
      page(
        await agentry.agents.listVersions(context, params.agentId as AgentId, query, { signal }),
        agentVersionToWire,
      ),
  }),
  defineRoute({
    method: 'GET',
    url: '/agents/:agentId/versions/:version',
    access: 'agents:view',
    summary: 'Get one version of an agent',
    schema: { params: VersionParams, response: { 200: envelope(AgentVersionSchema) } },
    handler: async ({ params, context, signal }, { agentry }) =>
      data(
        agentVersionToWire(
          await agentry.agents.getVersion(context, params.agentId as AgentId, params.version, { signal }),
        ),
      ),
  }),
  defineRoute({
    method: 'POST',
    url: '/agents/:agentId/rollback',
    access: 'agents:manage',
    summary: 'Point the agent at an existing version (versions never change)',
    schema: {
      params: AgentParams,
      body: z.object({ version: z.number().int().min(1) }).strict(),
      response: { 200: envelope(AgentSchema) },
    },
    handler: async ({ params, body, context, signal }, { agentry }) =>
      data(
        agentToWire(
          await agentry.agents.rollback(context, params.agentId as AgentId, body.version, { signal }),
        ),
      ),
  }),
])
