import type { HttpResponse } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import {
  createRedactor,
  REDACTION_PATH_PATTERN,
  scrubSecrets,
  truncateJson,
  truncateText,
} from '../src/index.js'
import { toToolOutput } from '../src/tools/http/http-tool-result.js'

describe('redaction rules', () => {
  it('replaces top-level, nested and per-item fields, and leaves the input alone', () => {
    const redact = createRedactor(['password', 'card.number', 'items[].ssn', 'matrix[][].secret'])
    const value = {
      user: 'ann',
      password: 'hunter2',
      card: { number: '4111 1111 1111 1111', expiry: '12/29' },
      items: [{ ssn: '123-45-6789', name: 'a' }, { name: 'b' }, 'not an object'],
      matrix: [[{ secret: 's', keep: 1 }]],
    }
    const copy = structuredClone(value)
    expect(redact(value)).toEqual({
      user: 'ann',
      password: '[REDACTED]',
      card: { number: '[REDACTED]', expiry: '12/29' },
      items: [{ ssn: '[REDACTED]', name: 'a' }, { name: 'b' }, 'not an object'],
      matrix: [[{ secret: '[REDACTED]', keep: 1 }]],
    })
    expect(value).toEqual(copy)
  })

  it('leaves values without the path as they are, including non-objects', () => {
    const redact = createRedactor(['card.number', '[].token'])
    expect(redact('text')).toBe('text')
    expect(redact(null)).toBeNull()
    expect(redact({ card: 'not an object' })).toEqual({ card: 'not an object' })
    expect(redact([{ token: 't' }, { other: 1 }])).toEqual([{ token: '[REDACTED]' }, { other: 1 }])
    expect(redact({ card: {} })).toEqual({ card: {} })
  })

  it('accepts only well-formed paths', () => {
    for (const path of ['password', 'card.number', 'items[].ssn', '[].x', 'a_b.c-d', 'rows[][]'])
      expect(REDACTION_PATH_PATTERN.test(path), path).toBe(true)
    for (const path of ['', '.a', 'a.', 'a..b', 'a[0]', 'a[]b', 'a b', 'a.*'])
      expect(REDACTION_PATH_PATTERN.test(path), path).toBe(false)
  })

  it('scrubs secrets from text, longest first, ignoring strings too short to matter', () => {
    expect(scrubSecrets('token sk-live-abc and sk-live-abc-2', ['sk-live-abc', 'sk-live-abc-2'])).toBe(
      'token [REDACTED] and [REDACTED]',
    )
    expect(scrubSecrets('a b c', ['a'])).toBe('a b c')
  })
})

function response(body: string, type: string, truncated = false): HttpResponse {
  return {
    status: 200,
    headers: type ? { 'content-type': type } : {},
    body: new TextEncoder().encode(body),
    truncated,
    url: 'https://api.example.com/',
    redirects: 0,
  }
}
const keep = (text: string) => text

describe('tool results from HTTP responses', () => {
  it('parses JSON (also +json types) and keeps text as text', () => {
    expect(toToolOutput(response('{"a":1}', 'application/json; charset=utf-8'), 1000, keep)).toEqual({
      output: { a: 1 },
    })
    expect(toToolOutput(response('{"a":1}', 'application/problem+json'), 1000, keep).output).toEqual({ a: 1 })
    expect(toToolOutput(response('plain words', 'text/plain'), 1000, keep)).toEqual({ output: 'plain words' })
    expect(toToolOutput(response('{not json', 'application/json'), 1000, keep).output).toBe('{not json')
    expect(toToolOutput(response('', 'application/json'), 1000, keep).output).toBeNull()
  })

  it('describes binary bodies instead of sending bytes to the model', () => {
    expect(toToolOutput(response('PNG-bytes', 'image/png'), 1000, keep).output).toBe(
      '[image/png body of 9 bytes, not shown]',
    )
  })

  it('cuts big JSON into smaller valid JSON and says it did', () => {
    const big = { items: Array.from({ length: 500 }, (_, index) => ({ id: index, text: 'x'.repeat(300) })) }
    const { value, truncated } = truncateJson(big, 2000)
    expect(truncated).toBe(true)
    const text = JSON.stringify(value)
    expect(text.length).toBeLessThanOrEqual(2000)
    const items = (value as { items: unknown[] }).items
    expect(items[0]).toMatchObject({ id: 0 })
    expect(items.at(-1)).toMatch(/more items$/)
    const output = toToolOutput(response(JSON.stringify(big), 'application/json'), 2000, keep)
    expect(output.truncated).toBe(true)
    expect(() => JSON.parse(JSON.stringify(output.output))).not.toThrow()
  })

  it('keeps small JSON untouched and falls back to a preview for JSON that cannot shrink', () => {
    expect(truncateJson({ a: [1, 2] }, 100)).toEqual({ value: { a: [1, 2] }, truncated: false })
    const wide = Object.fromEntries(Array.from({ length: 400 }, (_, index) => [`key${index}`, index]))
    const { value } = truncateJson(wide, 100)
    expect(JSON.stringify(value).length).toBeLessThanOrEqual(100)
  })

  it('marks text cut at the size limit, and a body the client already cut', () => {
    expect(truncateText('abcdefghij'.repeat(10), 30, false)).toEqual({
      value: 'abcdefghijabcdefgh\n[truncated]',
      truncated: true,
    })
    const cut = toToolOutput(response('{"partial": "json', 'application/json', true), 1000, keep)
    expect(cut).toEqual({ output: '{"partial": "json\n[truncated]', truncated: true })
  })

  it('scrubs before parsing, so an echoed credential never reaches the model', () => {
    const output = toToolOutput(
      response('{"echo":"Bearer sk-secret-123"}', 'application/json'),
      1000,
      (text) => scrubSecrets(text, ['sk-secret-123']),
    )
    expect(output.output).toEqual({ echo: 'Bearer [REDACTED]' })
  })
})
