import type { Agent, AgentId, AgentKind, AgentVersion } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'

export interface CreateAgentInput {
  readonly name: string
  readonly kind?: AgentKind
  /** Any `AgentConfigInput`; validated and defaulted. */
  readonly config?: unknown
  readonly note?: string
}

export interface UpdateAgentConfigInput {
  readonly config: unknown
  readonly note?: string
  /** The latest version the caller edited; a newer one makes the update fail with `CONFLICT`. */
  readonly expectedVersion?: number
}

export interface AgentWithVersion {
  readonly agent: Agent
  readonly version: AgentVersion
}

export function requireName(value: string): string {
  const name = value.trim()
  if (name.length === 0 || name.length > 120) throw invalid('name', 'must be 1 to 120 characters')
  return name
}

export function invalid(path: string, message: string): CoreError {
  return new CoreError('INVALID_INPUT', `Agent is invalid: ${path}: ${message}`, {
    details: { issues: [{ path, message }] },
  })
}

export function notFound(id: AgentId): CoreError {
  return new CoreError('NOT_FOUND', `Agent ${id} not found in this company.`)
}

export function conflict(id: AgentId, version: number, cause?: unknown): CoreError {
  return new CoreError(
    'CONFLICT',
    `Agent ${id} was changed by someone else (its latest version is now ${version} or newer): reload it and apply your change again.`,
    { cause, details: { agentId: id } },
  )
}
