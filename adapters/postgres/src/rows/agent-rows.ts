import type { Agent, AgentConfig, AgentId, AgentVersion, CompanyId } from '@agentry/contracts'
import type { Insertable } from 'kysely'
import type { AgentsTable, AgentVersionsTable } from '../database-schema.js'
import { json, type Row, toDate } from './row-values.js'

export function toAgent(row: Row<AgentsTable>): Agent {
  return {
    id: row.id as AgentId,
    companyId: row.company_id as CompanyId,
    name: row.name,
    kind: row.kind as Agent['kind'],
    status: row.status as Agent['status'],
    currentVersion: row.current_version,
    latestVersion: row.latest_version,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  }
}

export function agentRow(agent: Agent): Insertable<AgentsTable> {
  return {
    company_id: agent.companyId,
    id: agent.id,
    name: agent.name,
    kind: agent.kind,
    status: agent.status,
    current_version: agent.currentVersion,
    latest_version: agent.latestVersion,
    created_at: agent.createdAt,
    updated_at: agent.updatedAt,
  }
}

export function toAgentVersion(row: Row<AgentVersionsTable>): AgentVersion {
  return {
    agentId: row.agent_id as AgentId,
    companyId: row.company_id as CompanyId,
    version: row.version,
    config: row.config as AgentConfig,
    author: row.author,
    note: row.note,
    createdAt: toDate(row.created_at),
  }
}

export function agentVersionRow(version: AgentVersion): Insertable<AgentVersionsTable> {
  return {
    company_id: version.companyId,
    agent_id: version.agentId,
    version: version.version,
    config: json(version.config),
    author: version.author,
    note: version.note,
    created_at: version.createdAt,
  }
}
