import { describe, expect, it } from 'vitest'
import { minimalJsonFor } from './json-from-schema.js'

describe('minimalJsonFor', () => {
  it('puts the text in the first string and fills the rest minimally', () => {
    const schema = {
      type: 'object',
      properties: {
        answer: { type: 'string' },
        note: { type: 'string' },
        level: { enum: ['low', 'high'] },
        kind: { const: 'reply' },
        score: { type: ['number', 'null'], minimum: 0.5 },
        isFinal: { type: 'boolean' },
        sources: { type: 'array', items: { type: 'integer' }, minItems: 2 },
        nested: { properties: { deep: { type: 'string', default: 'x' } } },
        either: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
      },
    }
    expect(minimalJsonFor(schema, 'hello')).toEqual({
      answer: 'hello',
      note: '',
      level: 'low',
      kind: 'reply',
      score: 0.5,
      isFinal: false,
      sources: [0, 0],
      nested: { deep: 'x' },
      either: 0,
    })
  })

  it('wraps the text in an object when there is no schema to follow', () => {
    expect(minimalJsonFor({}, 'hello')).toEqual({ answer: 'hello' })
    expect(minimalJsonFor({ type: 'string' }, 'hello')).toBe('hello')
  })
})
