import { describe, expect, it } from 'vitest'
import { JsonSchemaValidator } from '../src/index.js'

describe('JsonSchemaValidator', () => {
  it('checks values with readable errors, formats included', () => {
    const validator = new JsonSchemaValidator()
    const schema = {
      type: 'object',
      properties: { email: { type: 'string', format: 'email' }, size: { enum: ['s', 'm'] } },
      required: ['email'],
      additionalProperties: false,
    }
    expect(validator.check(schema, { email: 'a@example.com', size: 's' })).toEqual({ valid: true })
    const check = validator.check(schema, { email: 'nope', size: 'xl', extra: 1 })
    expect(check.valid).toBe(false)
    expect(!check.valid && check.errors).toEqual([
      '(root) must NOT have additional properties: extra',
      '/email must match format "email"',
      '/size must be equal to one of the allowed values: ["s","m"]',
    ])
  })

  it('compiles each distinct schema once, also when it arrives as a new object', () => {
    const validator = new JsonSchemaValidator()
    const first = validator.compile({ type: 'integer', minimum: 1 })
    expect(validator.compile({ type: 'integer', minimum: 1 })).toBe(first)
    expect(validator.compile({ type: 'integer', minimum: 2 })).not.toBe(first)
  })

  it('reports a schema that does not compile', () => {
    const validator = new JsonSchemaValidator()
    expect(validator.schemaError({ type: 'integer' })).toBeNull()
    expect(validator.schemaError({ type: 'whole number' })).toContain('schema is invalid')
  })

  it('lets two schemas share a $id and stays bounded', () => {
    const validator = new JsonSchemaValidator({ maxCachedSchemas: 2 })
    const a = { $id: 'https://example.com/s', type: 'string' }
    const b = { $id: 'https://example.com/s', type: 'number' }
    expect(validator.check(a, 'x')).toEqual({ valid: true })
    expect(validator.check(b, 1)).toEqual({ valid: true })
    for (let minimum = 0; minimum < 10; minimum += 1) validator.check({ type: 'integer', minimum }, 5)
    expect(validator.check({ type: 'integer', minimum: 6 }, 5).valid).toBe(false)
    expect(validator.check({ $id: 'https://example.com/s', type: 'string' }, 'y')).toEqual({ valid: true })
  })
})
