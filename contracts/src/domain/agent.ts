import type { AgentConfig } from '../config/agent-config.js'
import type { AgentId, CompanyId } from '../ids.js'

export const AGENT_KINDS = ['chat', 'voice', 'task'] as const
export type AgentKind = (typeof AGENT_KINDS)[number]

export interface Agent {
  readonly id: AgentId
  readonly companyId: CompanyId
  readonly name: string
  readonly kind: AgentKind
  /** A disabled agent keeps its history but refuses new turns. */
  readonly status: 'active' | 'disabled'
  /** The version turns run on. Rollback points it at an older version. */
  readonly currentVersion: number
  readonly latestVersion: number
  readonly createdAt: Date
  readonly updatedAt: Date
}

/** Immutable: every config change makes a new version numbered from 1 upwards. */
export interface AgentVersion {
  readonly agentId: AgentId
  readonly companyId: CompanyId
  readonly version: number
  readonly config: AgentConfig
  /** The actor that made it (`user:<id>`, `api-key:<id>`), or null for system changes. */
  readonly author: string | null
  readonly note: string | null
  readonly createdAt: Date
}
