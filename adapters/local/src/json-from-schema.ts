import type { JsonValue } from '@agentry/contracts'

const MAX_DEPTH = 8

/**
 * The smallest JSON value of the shape `schema` describes, with `text` in the first string field: what
 * the scripted model answers when JSON output is asked for and no rule supplies it. Honours `const`,
 * `enum`, `default`, `anyOf`/`oneOf`/`allOf` (first branch), `type` (first non-null), object
 * `properties` (all of them), `minItems` and `minimum`. No schema at all gives `{ "answer": text }`.
 */
export function minimalJsonFor(schema: unknown, text: string): JsonValue {
  let isTextUsed = false
  const build = (node: unknown, depth: number): JsonValue => {
    if (typeof node !== 'object' || node === null || depth > MAX_DEPTH) return null
    const spec = node as Record<string, unknown>
    if ('const' in spec) return spec.const as JsonValue
    if (Array.isArray(spec.enum) && spec.enum.length > 0) return spec.enum[0] as JsonValue
    if ('default' in spec) return spec.default as JsonValue
    for (const key of ['anyOf', 'oneOf', 'allOf']) {
      const branches = spec[key]
      if (Array.isArray(branches) && branches.length > 0) return build(branches[0], depth + 1)
    }
    const types = Array.isArray(spec.type) ? spec.type : [spec.type]
    const type = types.find((candidate) => candidate !== 'null') ?? (spec.properties ? 'object' : types[0])
    switch (type) {
      case 'object': {
        const properties = (spec.properties ?? {}) as Record<string, unknown>
        return Object.fromEntries(
          Object.entries(properties).map(([key, value]) => [key, build(value, depth + 1)]),
        )
      }
      case 'array': {
        const count = typeof spec.minItems === 'number' ? spec.minItems : 0
        return Array.from({ length: Math.min(count, 16) }, () => build(spec.items, depth + 1))
      }
      case 'string':
        if (isTextUsed) return ''
        isTextUsed = true
        return text
      case 'integer':
      case 'number':
        return typeof spec.minimum === 'number' ? spec.minimum : 0
      case 'boolean':
        return false
      default:
        return null
    }
  }
  const isEmptySchema = typeof schema !== 'object' || schema === null || Object.keys(schema).length === 0
  return isEmptySchema ? { answer: text } : build(schema, 0)
}
