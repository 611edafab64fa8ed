import type { CallOptions, Page, PageRequest } from '../../common.js'
import type { Agent, AgentVersion } from '../../domain/agent.js'
import type { AgentId } from '../../ids.js'
import type { TenantScope } from '../../scope.js'

export type AgentPatch = Partial<Pick<Agent, 'name' | 'status'>> & { readonly updatedAt: Date }

/**
 * Agents and their immutable versions. Each write that touches both is atomic.
 */
export interface AgentStore {
  /** Stores the agent with its first version (number 1). `CONFLICT` for an existing id. */
  create(scope: TenantScope, agent: Agent, version: AgentVersion, options?: CallOptions): Promise<Agent>
  get(scope: TenantScope, id: AgentId, options?: CallOptions): Promise<Agent | null>
  /** Newest first. */
  list(scope: TenantScope, page?: PageRequest, options?: CallOptions): Promise<Page<Agent>>
  update(scope: TenantScope, id: AgentId, patch: AgentPatch, options?: CallOptions): Promise<Agent | null>
  /**
   * Appends `version` (number latestVersion + 1) and makes it current. `CONFLICT` when the agent's
   * latest version is no longer `version.version - 1` (a concurrent edit won); null when missing.
   */
  addVersion(scope: TenantScope, version: AgentVersion, options?: CallOptions): Promise<Agent | null>
  /** Points the agent at an existing version (rollback). Null when agent or version is missing. */
  setCurrentVersion(
    scope: TenantScope,
    id: AgentId,
    version: number,
    updatedAt: Date,
    options?: CallOptions,
  ): Promise<Agent | null>
  getVersion(
    scope: TenantScope,
    id: AgentId,
    version: number,
    options?: CallOptions,
  ): Promise<AgentVersion | null>
  /** Newest first. */
  listVersions(
    scope: TenantScope,
    id: AgentId,
    page?: PageRequest,
    options?: CallOptions,
  ): Promise<Page<AgentVersion>>
  /** Removes the agent, its versions, sessions, turns and messages. Usage and audit rows stay. */
  delete(scope: TenantScope, id: AgentId, options?: CallOptions): Promise<boolean>
}
