import type { AgentConfig, FieldIssue, JsonSchema } from '@agentry/contracts'
import { AgentConfigSchema, CoreError, zodIssues } from '@agentry/contracts'
import type { JsonSchemaValidator } from '../json-schema/json-schema-validator.js'

/**
 * Checks one provider's options bag (`config.providerOptions[provider]`), e.g. the local scripted
 * model's rules. Returns issues with paths relative to that bag; empty when valid. Plugged in by
 * the host, so core knows no adapter.
 */
export type ProviderOptionsValidator = (
  provider: string,
  options: Readonly<Record<string, unknown>>,
) => readonly FieldIssue[]

/**
 * Parses an agent config (defaults applied) and checks what the zod schema cannot: the output JSON
 * Schema compiles with ajv, and provider options pass the injected check. Throws CoreError
 * `INVALID_INPUT` whose message and `details.issues` name every bad field and why.
 */
export class AgentConfigValidator {
  readonly #schemas: JsonSchemaValidator
  readonly #validateProviderOptions: ProviderOptionsValidator | undefined

  constructor(schemas: JsonSchemaValidator, validateProviderOptions?: ProviderOptionsValidator) {
    this.#schemas = schemas
    this.#validateProviderOptions = validateProviderOptions
  }

  parse(input: unknown): AgentConfig {
    const parsed = AgentConfigSchema.safeParse(input ?? {})
    if (!parsed.success) throw invalidConfig(zodIssues(parsed.error))
    const config = parsed.data
    const issues: FieldIssue[] = []
    if (config.output.type === 'json') {
      const error = this.#schemas.schemaError(config.output.schema as JsonSchema)
      if (error !== null)
        issues.push({ path: 'output.schema', message: `is not a valid JSON Schema: ${error}` })
    }
    if (this.#validateProviderOptions) {
      for (const [provider, options] of Object.entries(config.providerOptions)) {
        for (const issue of this.#validateProviderOptions(provider, options)) {
          const path = ['providerOptions', provider, issue.path].filter((part) => part !== '').join('.')
          issues.push({ path, message: issue.message })
        }
      }
    }
    if (issues.length > 0) throw invalidConfig(issues)
    return config
  }
}

function invalidConfig(issues: readonly FieldIssue[]): CoreError {
  const summary = issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ')
  return new CoreError('INVALID_INPUT', `Agent config is invalid: ${summary}`, { details: { issues } })
}
