import type { CallOptions, JsonSchema, JsonValue } from '../common.js'
import type { ToolDefinition, ToolKind } from '../domain/tool.js'
import type { AgentId, SessionId, TurnId } from '../ids.js'
import type { TenantScope } from '../scope.js'

/** Where a tool call happens; tools use it to scope what they touch. */
export interface ToolContext {
  readonly scope: TenantScope
  readonly agentId: AgentId | null
  readonly sessionId: SessionId | null
  readonly turnId: TurnId | null
}

export interface ToolInvocation {
  readonly tool: ToolDefinition
  /** Already validated against `tool.inputSchema`. */
  readonly arguments: JsonValue
  readonly context: ToolContext
}

export interface ToolOutput {
  /** Sent back to the model (as JSON text) and, redacted, to the audit log. */
  readonly output: JsonValue
  /** The output was cut to the size limit. */
  readonly truncated?: boolean
}

/**
 * Executes tools of one kind. Arguments arrive validated; the caller enforces allowlists, budgets
 * and the timeout (through `signal`). Throws CoreError: `TIMEOUT`, `UNAVAILABLE` (retryable),
 * `FORBIDDEN` (the outbound guard refused a target), `UPSTREAM_ERROR` (the remote side failed).
 */
export interface ToolRuntime {
  readonly kind: ToolKind
  execute(invocation: ToolInvocation, options?: CallOptions): Promise<ToolOutput>
}

/** A tool implemented in code and registered by name (`time.now`, `math.evaluate`, ...). */
export interface BuiltinTool {
  readonly name: string
  readonly description: string
  readonly inputSchema: JsonSchema
  readonly outputSchema?: JsonSchema
  execute(input: JsonValue, context: ToolContext, options?: CallOptions): Promise<JsonValue>
}
