import type { CallOptions, JsonSchema, ToolInvocation, ToolOutput, ToolRuntime } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import type { JsonSchemaValidator } from '../json-schema/json-schema-validator.js'
import type { ToolRegistry } from './tool-registry.js'

/**
 * Runs company tools of kind `builtin`: a stored definition (own name, budgets, rate limit,
 * redaction) over an implementation registered in code (`builtin.name`). The arguments, already
 * valid for the stored schema, are checked against the implementation's own schema too.
 */
export class BuiltinToolRuntime implements ToolRuntime {
  readonly kind = 'builtin' as const
  readonly #registry: ToolRegistry
  readonly #schemas: JsonSchemaValidator

  constructor(registry: ToolRegistry, schemas: JsonSchemaValidator) {
    this.#registry = registry
    this.#schemas = schemas
  }

  async execute(invocation: ToolInvocation, options?: CallOptions): Promise<ToolOutput> {
    const name = invocation.tool.builtin?.name ?? ''
    const implementation = this.#registry.builtin(name)
    if (!implementation) {
      throw new CoreError('UNAVAILABLE', `No builtin tool "${name}" is registered in this runtime.`, {
        isRetryable: false,
      })
    }
    const check = this.#schemas.check(implementation.inputSchema as JsonSchema, invocation.arguments)
    if (!check.valid) {
      throw new CoreError(
        'INVALID_INPUT',
        `Arguments do not fit builtin "${name}": ${check.errors.join('; ')}`,
      )
    }
    return implementation.execute(invocation.arguments, invocation.context, options)
  }
}
