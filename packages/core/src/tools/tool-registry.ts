import type {
  BuiltinTool,
  CallOptions,
  JsonSchema,
  JsonValue,
  TenantScope,
  ToolContext,
  ToolId,
  ToolOutput,
} from '@agentry/contracts'
import { CoreError, TOOL_NAME_PATTERN } from '@agentry/contracts'

/** A tool ready to offer to the model and to run, whatever its kind. */
export interface ResolvedTool {
  readonly name: string
  readonly description: string
  readonly inputSchema: JsonSchema
  /** Null for builtin tools registered in code; the stored definition's id otherwise. */
  readonly toolId: ToolId | null
  /** Null to use the orchestrator's default. */
  readonly timeoutMs: number | null
  /** Runs with arguments already validated against `inputSchema`. */
  execute(input: JsonValue, context: ToolContext, options?: CallOptions): Promise<ToolOutput>
  /** Applied to arguments and results before they reach the audit log (configured redactions). */
  redact?(value: unknown): unknown
  /** When set, the output must match it; a mismatch is an error result for the model. */
  readonly outputSchema?: JsonSchema | null
  /**
   * Policies checked once the arguments are valid and before the tool runs (rate limit, call
   * budgets). A refusal is returned to the model as a `denied` call; the tool does not run.
   */
  admit?(context: ToolContext, options?: CallOptions): Promise<ToolAdmission>
}

export type ToolAdmission =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly code: 'RATE_LIMITED' | 'QUOTA_EXCEEDED'; readonly message: string }

/**
 * Supplies tools the code does not register: company-defined tools read from the ToolStore and run
 * through a ToolRuntime (http, workflow, mcp). Returns the tools among `names` it knows.
 */
export interface ToolSource {
  resolve(
    scope: TenantScope,
    names: readonly string[],
    options?: CallOptions,
  ): Promise<readonly ResolvedTool[]>
}

/**
 * Where the orchestrator finds tools by name: builtin tools registered in code first, then each
 * source in order. Only names on the agent's allowlist are ever asked for, so a name a user types
 * can never reach a tool the agent was not given.
 */
export class ToolRegistry {
  readonly #builtins = new Map<string, ResolvedTool>()
  readonly #sources: ToolSource[] = []

  constructor(builtins: readonly BuiltinTool[] = []) {
    for (const tool of builtins) this.register(tool)
  }

  /** Registers a builtin tool; `CONFLICT` when the name is taken, `INVALID_INPUT` for a bad name. */
  register(tool: BuiltinTool, options: { readonly timeoutMs?: number } = {}): this {
    if (!TOOL_NAME_PATTERN.test(tool.name)) {
      throw new CoreError(
        'INVALID_INPUT',
        `Tool name "${tool.name}" must look like namespace.name, e.g. time.now.`,
      )
    }
    if (this.#builtins.has(tool.name)) {
      throw new CoreError('CONFLICT', `A builtin tool named "${tool.name}" is already registered.`)
    }
    this.#builtins.set(tool.name, {
      name: tool.name,
      description: tool.description,
      inputSchema: tool.inputSchema,
      toolId: null,
      timeoutMs: options.timeoutMs ?? null,
      outputSchema: tool.outputSchema ?? null,
      execute: async (input, context, callOptions) => ({
        output: await tool.execute(input, context, callOptions),
      }),
    })
    return this
  }

  addSource(source: ToolSource): this {
    this.#sources.push(source)
    return this
  }

  /** True when a builtin tool of this name is registered in code. */
  has(name: string): boolean {
    return this.#builtins.has(name)
  }

  /** The builtin tool registered under `name` (for company tools of kind `builtin`). */
  builtin(name: string): ResolvedTool | undefined {
    return this.#builtins.get(name)
  }

  /** Names of the builtin tools, sorted. */
  builtinNames(): string[] {
    return [...this.#builtins.keys()].sort()
  }

  /**
   * The tools among `names` that exist, keyed by name. Builtins answer without I/O; sources are
   * asked only for names no builtin has, so an agent with builtin tools only costs no store read.
   */
  async resolve(
    scope: TenantScope,
    names: readonly string[],
    options?: CallOptions,
  ): Promise<Map<string, ResolvedTool>> {
    const found = new Map<string, ResolvedTool>()
    let missing: string[] = []
    for (const name of names) {
      const builtin = this.#builtins.get(name)
      if (builtin) found.set(name, builtin)
      else missing.push(name)
    }
    for (const source of this.#sources) {
      if (missing.length === 0) break
      for (const tool of await source.resolve(scope, missing, options)) {
        if (missing.includes(tool.name) && !found.has(tool.name)) found.set(tool.name, tool)
      }
      missing = missing.filter((name) => !found.has(name))
    }
    return found
  }
}
