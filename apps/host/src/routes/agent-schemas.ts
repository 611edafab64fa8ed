import type { Agent, AgentConfig, AgentVersion } from '@agentry/contracts'
import { AGENT_KINDS, AgentConfigSchema } from '@agentry/contracts'
import { z } from 'zod'
import { iso, Timestamp } from '../http/api-schemas.js'

/** The agent config as clients send it: every field has a default (see `AgentConfigSchema`). */
export const AgentConfigBody = AgentConfigSchema.describe(
  'The agent config; every field has a default, so { "systemPrompt": "You help." } is a whole config.',
)

/** The saved config, with every default filled in. */
export const AgentConfigOut = z.record(z.string(), z.unknown()).meta({ id: 'AgentConfig' })

const agentFields = {
  id: z.string(),
  name: z.string(),
  kind: z.enum(AGENT_KINDS),
  status: z.enum(['active', 'disabled']),
  version: z.number().int().describe('The version turns run on (the current version).'),
  latestVersion: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
}

export const AgentSchema = z.object(agentFields).meta({ id: 'Agent' })
export const AgentWithConfigSchema = z
  .object({ ...agentFields, config: AgentConfigOut })
  .meta({ id: 'AgentWithConfig' })

export const AgentVersionSchema = z
  .object({
    agentId: z.string(),
    version: z.number().int(),
    config: AgentConfigOut,
    author: z.string().nullable().describe('`user:<id>` or `api-key:<id>` that made it.'),
    note: z.string().nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'AgentVersion' })

export function agentToWire(agent: Agent): z.input<typeof AgentSchema> {
  return {
    id: agent.id,
    name: agent.name,
    kind: agent.kind,
    status: agent.status,
    version: agent.currentVersion,
    latestVersion: agent.latestVersion,
    createdAt: iso(agent.createdAt),
    updatedAt: iso(agent.updatedAt),
  }
}

export function agentWithConfigToWire(
  agent: Agent,
  config: AgentConfig,
): z.input<typeof AgentWithConfigSchema> {
  return { ...agentToWire(agent), config: config as Record<string, unknown> }
}

export function agentVersionToWire(version: AgentVersion): z.input<typeof AgentVersionSchema> {
  return {
    agentId: version.agentId,
    version: version.version,
    config: version.config as Record<string, unknown>,
    author: version.author,
    note: version.note,
    createdAt: iso(version.createdAt),
  }
}
