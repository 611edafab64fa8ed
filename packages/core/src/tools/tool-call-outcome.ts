import type { JsonValue, ToolCallRequest, ToolCallStatus, ToolId } from '@agentry/contracts'

/** What became of one tool call the model asked for. */
export interface ToolCallOutcome {
  readonly call: ToolCallRequest
  readonly status: ToolCallStatus
  readonly durationMs: number
  readonly toolId: ToolId | null
  /** Parsed arguments, or the raw text when it was not JSON. */
  readonly arguments: unknown
  readonly output: JsonValue | null
  readonly error: { readonly code: string; readonly message: string } | null
  /** True when the tool actually ran (billed as a `tool.call` usage event). */
  readonly executed: boolean
}

export function failure(
  call: ToolCallRequest,
  status: ToolCallStatus,
  toolId: ToolId | null,
  args: unknown,
  code: string,
  message: string,
  started: number,
): ToolCallOutcome {
  return {
    call,
    status,
    durationMs: performance.now() - started,
    toolId,
    arguments: args,
    output: null,
    error: { code, message },
    executed: false,
  }
}

/** The text the model receives for an outcome: the output as JSON, or `{"error":{code,message}}`. */
export function toolResultText(outcome: ToolCallOutcome): string {
  return JSON.stringify(outcome.error ? { error: outcome.error } : outcome.output)
}
