import type { JsonSchema } from '../common.js'
import type { AgentId, CompanyId, SessionId, ToolCallId, ToolId, TurnId } from '../ids.js'
import type { ToolCallStatus } from './conversation.js'

export const TOOL_KINDS = ['builtin', 'http', 'workflow'] as const
export type ToolKind = (typeof TOOL_KINDS)[number]

/** `namespace.name`, lowercase letters, digits, `_` and `-`; e.g. `crm.lookup`. */
export const TOOL_NAME_PATTERN = /^[a-z][a-z0-9_-]{0,39}\.[a-z][a-z0-9_-]{0,63}$/

export interface HttpToolAuth {
  readonly type: 'bearer' | 'header' | 'basic'
  /** Name of a company secret; for `basic` the secret holds `user:password`. */
  readonly secretName: string
  /** For `header`: the header to send the secret in. */
  readonly headerName?: string
}

export interface HttpToolConfig {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** URL template; `{name}` is replaced by the URL-encoded argument `name`. */
  readonly url: string
  /** Query parameters: value templates over the arguments. */
  readonly query?: Readonly<Record<string, string>>
  readonly headers?: Readonly<Record<string, string>>
  /** `arguments` sends the validated arguments as the JSON body; `none` sends none. */
  readonly body?: 'arguments' | 'none'
  readonly auth?: HttpToolAuth
  readonly responseMaxBytes?: number
  /** Host patterns (`api.example.com`, `*.example.com`) this tool may reach, in addition to the company's. */
  readonly allowHosts?: readonly string[]
  readonly denyHosts?: readonly string[]
}

export interface ToolDefinition {
  readonly id: ToolId
  readonly companyId: CompanyId
  readonly name: string
  readonly kind: ToolKind
  readonly description: string
  readonly inputSchema: JsonSchema
  readonly outputSchema: JsonSchema | null
  readonly timeoutMs: number
  readonly retry: { readonly attempts: number; readonly backoffMs: number }
  /** Calls per minute across the company; null for none. */
  readonly rateLimitPerMinute: number | null
  readonly budget: { readonly perDay: number | null; readonly perMonth: number | null }
  /** Field paths (`password`, `card.number`, `items[].ssn`) replaced by `[REDACTED]` in logs and audit. */
  readonly redact: readonly string[]
  readonly http: HttpToolConfig | null
  /** For `workflow` tools: the job kind enqueued with the arguments. */
  readonly workflow: { readonly jobKind: string } | null
  /** For `builtin` tools stored per company: the registered implementation's name. */
  readonly builtin: { readonly name: string } | null
  readonly createdAt: Date
  readonly updatedAt: Date
}

/** One audit row per tool call, arguments and result already redacted. */
export interface ToolCallRecord {
  readonly id: ToolCallId
  readonly companyId: CompanyId
  readonly agentId: AgentId | null
  readonly sessionId: SessionId | null
  readonly turnId: TurnId | null
  readonly toolName: string
  readonly toolId: ToolId | null
  readonly arguments: unknown
  readonly result: unknown
  readonly status: ToolCallStatus
  readonly errorCode: string | null
  readonly errorMessage: string | null
  readonly latencyMs: number
  readonly createdAt: Date
}
