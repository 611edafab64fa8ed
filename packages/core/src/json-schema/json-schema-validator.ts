import type { JsonSchema } from '@agentry/contracts'
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import * as formatsModule from 'ajv-formats'

export type SchemaCheck =
  | { readonly valid: true }
  | { readonly valid: false; readonly errors: readonly string[] }

type FormatsPlugin = (ajv: Ajv2020) => Ajv2020
// ajv-formats is CommonJS: depending on the loader the plugin is the module or its `default`.
const addFormats = ((formatsModule as unknown as { default?: FormatsPlugin }).default ??
  formatsModule) as unknown as FormatsPlugin

const DEFAULT_CACHE_SIZE = 500

/**
 * JSON Schema (draft 2020-12) checks with ajv: tool arguments and structured output. Each distinct
 * schema is compiled once: by object identity first (tool schemas registered in code), then by
 * its JSON text (schemas read from storage arrive as new objects on every turn). The text cache is
 * bounded; evicted schemas are removed from ajv too, so nothing grows without limit.
 */
export class JsonSchemaValidator {
  readonly #ajv = createAjv()
  readonly #byObject = new WeakMap<object, ValidateFunction>()
  readonly #byText = new Map<string, { validate: ValidateFunction; ajv: Ajv2020; schema: object | boolean }>()
  readonly #maxEntries: number

  constructor(options: { readonly maxCachedSchemas?: number } = {}) {
    this.#maxEntries = options.maxCachedSchemas ?? DEFAULT_CACHE_SIZE
  }

  /** The compiled validator; throws ajv's error when the schema itself is invalid. */
  compile(schema: JsonSchema | boolean): ValidateFunction {
    const isObject = typeof schema === 'object' && schema !== null
    const known = isObject ? this.#byObject.get(schema) : undefined
    if (known) return known
    const text = JSON.stringify(schema)
    const cached = this.#byText.get(text)
    if (cached) {
      if (isObject) this.#byObject.set(schema, cached.validate)
      return cached.validate
    }
    // A root `$id` is registered globally by ajv; give such schemas their own instance so two
    // agents using the same `$id` never collide.
    const ajv = isObject && typeof schema.$id === 'string' ? createAjv() : this.#ajv
    const copy = JSON.parse(text) as object | boolean
    const validate = ajv.compile(copy)
    this.#byText.set(text, { validate, ajv, schema: copy })
    if (isObject) this.#byObject.set(schema, validate)
    this.#evict()
    return validate
  }

  /** The ajv message when `schema` is not a valid JSON Schema, else null. */
  schemaError(schema: JsonSchema | boolean): string | null {
    try {
      this.compile(schema)
      return null
    } catch (error) {
      return error instanceof Error ? error.message : String(error)
    }
  }

  /** `schema` may also be `true` / `false` (accept / refuse everything), as JSON Schema allows. */
  check(schema: JsonSchema | boolean, value: unknown): SchemaCheck {
    const validate = this.compile(schema)
    if (validate(value)) return { valid: true }
    return { valid: false, errors: formatErrors(validate.errors ?? []) }
  }

  #evict(): void {
    while (this.#byText.size > this.#maxEntries) {
      const oldest = this.#byText.keys().next().value
      if (oldest === undefined) return
      const entry = this.#byText.get(oldest)
      this.#byText.delete(oldest)
      if (entry && typeof entry.schema === 'object') entry.ajv.removeSchema(entry.schema)
    }
  }
}

function createAjv(): Ajv2020 {
  // ownProperties: a property a value inherits (`constructor`, `toString`) is not one it has.
  const ajv = new Ajv2020({ allErrors: true, strict: false, ownProperties: true })
  addFormats(ajv)
  return ajv
}

/** `"/path/to/field must be integer"`, `"(root) must have required property 'name'"`. */
export function formatErrors(errors: readonly ErrorObject[]): string[] {
  return errors.map((error) => {
    const where = error.instancePath === '' ? '(root)' : error.instancePath
    const extra =
      error.keyword === 'additionalProperties'
        ? `: ${String((error.params as { additionalProperty?: string }).additionalProperty)}`
        : error.keyword === 'enum'
          ? `: ${JSON.stringify((error.params as { allowedValues?: unknown }).allowedValues)}`
          : ''
    return `${where} ${error.message ?? 'is invalid'}${extra}`
  })
}
