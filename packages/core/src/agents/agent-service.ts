import type {
  Agent,
  AgentConfig,
  AgentId,
  AgentVersion,
  CallOptions,
  Clock,
  IdGenerator,
  Page,
  PageRequest,
  Stores,
  TenantScope,
} from '@agentry/contracts'
import { AGENT_KINDS, CoreError } from '@agentry/contracts'
import type { AuditRecorder } from '../audit/audit-recorder.js'
import { actorLabel, type RequestContext } from '../request-context.js'
import { requirePermission, scopeOf } from '../tenancy/permissions.js'
import type { AgentConfigValidator } from './agent-config-validator.js'
import {
  type AgentWithVersion,
  type CreateAgentInput,
  conflict,
  invalid,
  notFound,
  requireName,
  type UpdateAgentConfigInput,
} from './agent-input.js'

export type { AgentWithVersion, CreateAgentInput, UpdateAgentConfigInput } from './agent-input.js'

/** Agents and their immutable config versions: create, change, roll back, disable, delete. */
export class AgentService {
  readonly #stores: Pick<Stores, 'agents'>
  readonly #configs: AgentConfigValidator
  readonly #audit: AuditRecorder
  readonly #clock: Clock
  readonly #ids: IdGenerator

  constructor(
    stores: Pick<Stores, 'agents'>,
    configs: AgentConfigValidator,
    audit: AuditRecorder,
    clock: Clock,
    ids: IdGenerator,
  ) {
    this.#stores = stores
    this.#configs = configs
    this.#audit = audit
    this.#clock = clock
    this.#ids = ids
  }

  /** Validates without saving: the parsed config with defaults, or `INVALID_INPUT` naming fields. */
  validateConfig(config: unknown): AgentConfig {
    return this.#configs.parse(config)
  }

  async create(
    context: RequestContext,
    input: CreateAgentInput,
    options?: CallOptions,
  ): Promise<AgentWithVersion> {
    requirePermission(context.actor, 'agents:manage')
    const scope = scopeOf(context)
    const name = requireName(input.name)
    const kind = input.kind ?? 'chat'
    if (!AGENT_KINDS.includes(kind)) {
      throw invalid('kind', `must be one of ${AGENT_KINDS.join(', ')}`)
    }
    const config = this.#configs.parse(input.config)
    const now = this.#clock.now()
    const id = this.#ids.next() as AgentId
    const version = this.#version(scope, context, id, 1, config, input.note, now)
    const agent = await this.#stores.agents.create(
      scope,
      {
        id,
        companyId: scope.companyId,
        name,
        kind,
        status: 'active',
        currentVersion: 1,
        latestVersion: 1,
        createdAt: now,
        updatedAt: now,
      },
      version,
      options,
    )
    await this.#record(scope, context, 'agent.create', id, { name, kind, version: 1 }, options)
    return { agent, version }
  }

  async get(context: RequestContext, id: AgentId, options?: CallOptions): Promise<Agent> {
    requirePermission(context.actor, 'agents:view')
    return this.#require(scopeOf(context), id, options)
  }

  /** The agent with the config its turns run on. */
  async getCurrent(context: RequestContext, id: AgentId, options?: CallOptions): Promise<AgentWithVersion> {
    const agent = await this.get(context, id, options)
    const version = await this.getVersion(context, id, agent.currentVersion, options)
    return { agent, version }
  }

  async list(context: RequestContext, page?: PageRequest, options?: CallOptions): Promise<Page<Agent>> {
    requirePermission(context.actor, 'agents:view')
    return this.#stores.agents.list(scopeOf(context), page, options)
  }

  /** Saves `config` as a new immutable version and makes it current. */
  async updateConfig(
    context: RequestContext,
    id: AgentId,
    input: UpdateAgentConfigInput,
    options?: CallOptions,
  ): Promise<AgentWithVersion> {
    requirePermission(context.actor, 'agents:manage')
    const scope = scopeOf(context)
    const config = this.#configs.parse(input.config)
    const current = await this.#require(scope, id, options)
    if (input.expectedVersion !== undefined && input.expectedVersion !== current.latestVersion) {
      throw conflict(id, current.latestVersion)
    }
    const number = current.latestVersion + 1
    const version = this.#version(scope, context, id, number, config, input.note, this.#clock.now())
    let agent: Agent | null
    try {
      agent = await this.#stores.agents.addVersion(scope, version, options)
    } catch (error) {
      if (CoreError.hasCode(error, 'CONFLICT')) throw conflict(id, number, error)
      throw error
    }
    if (!agent) throw notFound(id)
    await this.#record(scope, context, 'agent.update', id, { version: number }, options)
    return { agent, version }
  }

  async rename(context: RequestContext, id: AgentId, name: string, options?: CallOptions): Promise<Agent> {
    requirePermission(context.actor, 'agents:manage')
    const scope = scopeOf(context)
    const agent = await this.#stores.agents.update(
      scope,
      id,
      { name: requireName(name), updatedAt: this.#clock.now() },
      options,
    )
    if (!agent) throw notFound(id)
    await this.#record(scope, context, 'agent.rename', id, { name: agent.name }, options)
    return agent
  }

  /** A disabled agent refuses new turns and keeps its history; enabling lets it answer again. */
  async setStatus(
    context: RequestContext,
    id: AgentId,
    status: Agent['status'],
    options?: CallOptions,
  ): Promise<Agent> {
    requirePermission(context.actor, 'agents:manage')
    const scope = scopeOf(context)
    const agent = await this.#stores.agents.update(
      scope,
      id,
      { status, updatedAt: this.#clock.now() },
      options,
    )
    if (!agent) throw notFound(id)
    await this.#record(
      scope,
      context,
      status === 'disabled' ? 'agent.disable' : 'agent.enable',
      id,
      {},
      options,
    )
    return agent
  }

  /** Deletes the agent with its versions, sessions and messages; usage and audit rows stay. */
  async delete(context: RequestContext, id: AgentId, options?: CallOptions): Promise<void> {
    requirePermission(context.actor, 'agents:manage')
    const scope = scopeOf(context)
    if (!(await this.#stores.agents.delete(scope, id, options))) throw notFound(id)
    await this.#record(scope, context, 'agent.delete', id, {}, options)
  }

  async listVersions(
    context: RequestContext,
    id: AgentId,
    page?: PageRequest,
    options?: CallOptions,
  ): Promise<Page<AgentVersion>> {
    requirePermission(context.actor, 'agents:view')
    const scope = scopeOf(context)
    await this.#require(scope, id, options)
    return this.#stores.agents.listVersions(scope, id, page, options)
  }

  async getVersion(
    context: RequestContext,
    id: AgentId,
    version: number,
    options?: CallOptions,
  ): Promise<AgentVersion> {
    requirePermission(context.actor, 'agents:view')
    const found = await this.#stores.agents.getVersion(scopeOf(context), id, version, options)
    if (!found) throw new CoreError('NOT_FOUND', `Agent ${id} has no version ${version}.`)
    return found
  }

  /** Points the agent at an existing older (or newer) version; versions themselves never change. */
  async rollback(
    context: RequestContext,
    id: AgentId,
    version: number,
    options?: CallOptions,
  ): Promise<Agent> {
    requirePermission(context.actor, 'agents:manage')
    const scope = scopeOf(context)
    const before = await this.#require(scope, id, options)
    if (!Number.isInteger(version) || version < 1 || version > before.latestVersion) {
      throw new CoreError(
        'NOT_FOUND',
        `Agent ${id} has no version ${version} (versions 1 to ${before.latestVersion}).`,
      )
    }
    const agent = await this.#stores.agents.setCurrentVersion(scope, id, version, this.#clock.now(), options)
    if (!agent) throw new CoreError('NOT_FOUND', `Agent ${id} has no version ${version}.`)
    await this.#record(
      scope,
      context,
      'agent.rollback',
      id,
      { from: before.currentVersion, to: version },
      options,
    )
    return agent
  }

  #version(
    scope: TenantScope,
    context: RequestContext,
    id: AgentId,
    number: number,
    config: AgentConfig,
    note: string | undefined,
    now: Date,
  ): AgentVersion {
    return {
      agentId: id,
      companyId: scope.companyId,
      version: number,
      config,
      author: actorLabel(context.actor),
      note: note?.trim() || null,
      createdAt: now,
    }
  }

  async #require(scope: TenantScope, id: AgentId, options?: CallOptions): Promise<Agent> {
    const agent = await this.#stores.agents.get(scope, id, options)
    if (!agent) throw notFound(id)
    return agent
  }

  #record(
    scope: TenantScope,
    context: RequestContext,
    action: string,
    id: AgentId,
    details: Record<string, string | number>,
    options?: CallOptions,
  ) {
    return this.#audit.record(
      scope,
      context,
      { action, resourceType: 'agent', resourceId: id, details },
      options,
    )
  }
}
