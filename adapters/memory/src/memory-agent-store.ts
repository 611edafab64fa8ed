import {
  type Agent,
  type AgentId,
  type AgentPatch,
  type AgentStore,
  type AgentVersion,
  type CallOptions,
  CoreError,
  type Page,
  type PageRequest,
  type TenantScope,
} from '@agentry/contracts'
import { throwIfAborted } from './abort.js'
import { assertOwnRow, type MemoryDatabase, newestFirst } from './memory-database.js'
import { paginate } from './memory-page.js'

const versionKey = (agentId: string, version: number) => `${agentId}/${version}`

export class MemoryAgentStore implements AgentStore {
  constructor(private readonly database: MemoryDatabase) {}

  async create(
    scope: TenantScope,
    agent: Agent,
    version: AgentVersion,
    options?: CallOptions,
  ): Promise<Agent> {
    throwIfAborted(options, 'Creating an agent')
    assertOwnRow(scope, agent, 'agent')
    assertOwnRow(scope, version, 'agent version')
    this.database.requireCompany(scope)
    if (version.agentId !== agent.id || version.version !== 1) {
      throw new CoreError('INVALID_INPUT', 'An agent is created with its version 1')
    }
    if (this.database.agents.has(scope.companyId, agent.id)) {
      throw new CoreError('CONFLICT', `Agent ${agent.id} already exists`)
    }
    this.database.agents.set(scope.companyId, agent.id, agent)
    this.database.agentVersions.set(scope.companyId, versionKey(agent.id, 1), version)
    return structuredClone(agent)
  }

  async get(scope: TenantScope, id: AgentId, options?: CallOptions): Promise<Agent | null> {
    throwIfAborted(options, 'Reading an agent')
    return this.database.agents.get(scope.companyId, id) ?? null
  }

  async list(scope: TenantScope, page?: PageRequest, options?: CallOptions): Promise<Page<Agent>> {
    throwIfAborted(options, 'Listing agents')
    return paginate(this.database.agents.rows(scope.companyId), newestFirst<Agent>(), page)
  }

  async update(
    scope: TenantScope,
    id: AgentId,
    patch: AgentPatch,
    options?: CallOptions,
  ): Promise<Agent | null> {
    throwIfAborted(options, 'Updating an agent')
    const agent = this.database.agents.get(scope.companyId, id)
    if (!agent) return null
    return this.#save(scope, { ...agent, ...structuredClone(patch) })
  }

  async addVersion(scope: TenantScope, version: AgentVersion, options?: CallOptions): Promise<Agent | null> {
    throwIfAborted(options, 'Adding an agent version')
    assertOwnRow(scope, version, 'agent version')
    const agent = this.database.agents.get(scope.companyId, version.agentId)
    if (!agent) return null
    if (version.version !== agent.latestVersion + 1) {
      throw new CoreError(
        'CONFLICT',
        `Agent ${agent.id} is at version ${agent.latestVersion}, so the next version is ${agent.latestVersion + 1}, not ${version.version}: reload and retry`,
      )
    }
    this.database.agentVersions.set(scope.companyId, versionKey(agent.id, version.version), version)
    return this.#save(scope, {
      ...agent,
      currentVersion: version.version,
      latestVersion: version.version,
      updatedAt: new Date(version.createdAt),
    })
  }

  async setCurrentVersion(
    scope: TenantScope,
    id: AgentId,
    version: number,
    updatedAt: Date,
    options?: CallOptions,
  ): Promise<Agent | null> {
    throwIfAborted(options, 'Setting the current agent version')
    const agent = this.database.agents.get(scope.companyId, id)
    if (!agent || !this.database.agentVersions.has(scope.companyId, versionKey(id, version))) return null
    return this.#save(scope, { ...agent, currentVersion: version, updatedAt: new Date(updatedAt) })
  }

  async getVersion(
    scope: TenantScope,
    id: AgentId,
    version: number,
    options?: CallOptions,
  ): Promise<AgentVersion | null> {
    throwIfAborted(options, 'Reading an agent version')
    return this.database.agentVersions.get(scope.companyId, versionKey(id, version)) ?? null
  }

  async listVersions(
    scope: TenantScope,
    id: AgentId,
    page?: PageRequest,
    options?: CallOptions,
  ): Promise<Page<AgentVersion>> {
    throwIfAborted(options, 'Listing agent versions')
    const versions = this.database.agentVersions
      .rows(scope.companyId)
      .filter((version) => version.agentId === id)
    return paginate(versions, { key: (version) => [version.version], direction: 'desc' }, page)
  }

  async delete(scope: TenantScope, id: AgentId, options?: CallOptions): Promise<boolean> {
    throwIfAborted(options, 'Deleting an agent')
    const { database } = this
    const { companyId } = scope
    if (!database.agents.delete(companyId, id)) return false
    database.agentVersions.deleteWhere(companyId, (version) => version.agentId === id)
    for (const session of database.sessions.rows(companyId)) {
      if (session.agentId !== id) continue
      database.sessions.delete(companyId, session.id)
      database.removeSessionData(companyId, session.id)
    }
    return true
  }

  #save(scope: TenantScope, agent: Agent): Agent {
    this.database.agents.set(scope.companyId, agent.id, agent)
    return structuredClone(agent)
  }
}
