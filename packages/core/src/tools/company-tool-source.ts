import type {
  CallOptions,
  TenantScope,
  ToolDefinition,
  ToolKind,
  ToolRuntime,
  ToolStore,
} from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import { createRedactor } from './redaction.js'
import type { ToolCallPolicy } from './tool-call-policy.js'
import type { ResolvedTool, ToolSource } from './tool-registry.js'

/**
 * The company's own tools (ToolStore), offered to the model when the agent allowlists them and run
 * through the ToolRuntime of their kind, with their timeout, output schema, redaction rules, rate
 * limit and budgets. Only names the registry asks for (the allowlist) are ever read.
 */
export class CompanyToolSource implements ToolSource {
  readonly #store: ToolStore
  readonly #runtimes: ReadonlyMap<ToolKind, ToolRuntime>
  readonly #policy: ToolCallPolicy

  constructor(store: ToolStore, runtimes: readonly ToolRuntime[], policy: ToolCallPolicy) {
    this.#store = store
    this.#runtimes = new Map(runtimes.map((runtime) => [runtime.kind, runtime]))
    this.#policy = policy
  }

  async resolve(
    scope: TenantScope,
    names: readonly string[],
    options?: CallOptions,
  ): Promise<readonly ResolvedTool[]> {
    const definitions = await this.#store.getByNames(scope, names, options)
    return definitions.map((definition) => this.toResolved(scope, definition))
  }

  /** A stored definition ready to run (also used by the dry-run endpoint). */
  toResolved(scope: TenantScope, definition: ToolDefinition): ResolvedTool {
    const runtime = this.#runtimes.get(definition.kind)
    const policy = this.#policy
    return {
      name: definition.name,
      description: definition.description,
      inputSchema: definition.inputSchema,
      toolId: definition.id,
      timeoutMs: definition.timeoutMs,
      outputSchema: definition.outputSchema,
      redact: createRedactor(definition.redact),
      ...(policy.applies(definition)
        ? { admit: (_context, callOptions) => policy.admit(scope, definition, callOptions) }
        : {}),
      async execute(input, context, callOptions) {
        if (!runtime) {
          throw new CoreError(
            'UNAVAILABLE',
            `Tools of kind "${definition.kind}" cannot run here: this runtime has no ${definition.kind} tool runtime.`,
            { isRetryable: false },
          )
        }
        return runtime.execute({ tool: definition, arguments: input, context }, callOptions)
      },
    }
  }
}
