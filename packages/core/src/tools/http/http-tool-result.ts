import type { HttpResponse, JsonValue, ToolOutput } from '@agentry/contracts'

/** Characters of a result the model receives by default (about 4,000 tokens). */
export const DEFAULT_MAX_RESULT_CHARS = 16_000
const TEXT_MARKER = '\n[truncated]'
const TEXTUAL = /^(?:text\/|application\/(?:[\w.+-]*\+)?(?:json|xml|javascript|x-www-form-urlencoded|yaml))/i
const JSON_TYPE = /^application\/(?:[\w.+-]*\+)?json|^text\/json/i

/**
 * Shrinks a JSON value until its text fits `maxChars`, keeping it valid JSON: long strings are cut
 * (ending in `…`), long arrays keep their first items and a note of how many were left out, and
 * deep nesting is summarised. The shape stays recognisable; values are never invented.
 */
export function truncateJson(value: JsonValue, maxChars: number): { value: JsonValue; truncated: boolean } {
  if (JSON.stringify(value).length <= maxChars) return { value, truncated: false }
  for (const limit of [2000, 500, 200, 80, 30, 10]) {
    const shrunk = shrink(value, limit, 0)
    if (JSON.stringify(shrunk).length <= maxChars) return { value: shrunk, truncated: true }
  }
  const preview = JSON.stringify(value).slice(0, Math.max(0, maxChars - 60))
  return { value: { truncated: true, preview }, truncated: true }
}

function shrink(value: JsonValue, limit: number, depth: number): JsonValue {
  if (typeof value === 'string') return value.length > limit ? `${value.slice(0, limit)}…` : value
  if (value === null || typeof value !== 'object') return value
  if (depth >= Math.max(2, Math.ceil(limit / 20))) {
    return Array.isArray(value) ? `[${value.length} items]` : `{${Object.keys(value).length} fields}`
  }
  if (Array.isArray(value)) {
    const keep = Math.max(1, Math.floor(limit / 10))
    const items = value.slice(0, keep).map((item) => shrink(item, limit, depth + 1))
    return value.length > keep ? [...items, `… ${value.length - keep} more items`] : items
  }
  const entries = Object.entries(value as Record<string, JsonValue>)
  const keep = Math.max(4, Math.floor(limit / 5))
  const kept = entries.slice(0, keep).map(([key, item]) => [key, shrink(item, limit, depth + 1)] as const)
  if (entries.length > keep) kept.push(['…', `${entries.length - keep} more fields`])
  return Object.fromEntries(kept)
}

/** Cuts text to `maxChars` (the marker included) and says so. */
export function truncateText(
  text: string,
  maxChars: number,
  isCut: boolean,
): { value: string; truncated: boolean } {
  if (text.length <= maxChars && !isCut) return { value: text, truncated: false }
  return {
    value: `${text.slice(0, Math.max(0, maxChars - TEXT_MARKER.length))}${TEXT_MARKER}`,
    truncated: true,
  }
}

/**
 * The tool result for a successful response: parsed JSON when the server says JSON and the whole
 * body arrived and parses, else the text; binary bodies are described, not sent. `scrub` runs on
 * the text first (it removes the tool's own credentials should the server echo them).
 */
export function toToolOutput(
  response: HttpResponse,
  maxChars: number,
  scrub: (text: string) => string,
): ToolOutput {
  const type = response.headers['content-type'] ?? ''
  if (response.body.length === 0) return { output: null }
  if (type !== '' && !TEXTUAL.test(type)) {
    return {
      output: `[${type.split(';')[0]} body of ${response.body.length} bytes${response.truncated ? ' or more' : ''}, not shown]`,
    }
  }
  const body = scrub(new TextDecoder().decode(response.body))
  if (JSON_TYPE.test(type) && !response.truncated) {
    try {
      const parsed = JSON.parse(body) as JsonValue
      const { value, truncated } = truncateJson(parsed, maxChars)
      return truncated ? { output: value, truncated } : { output: value }
    } catch {
      // Not JSON after all: fall through to text.
    }
  }
  const { value, truncated } = truncateText(body, maxChars, response.truncated)
  return truncated ? { output: value, truncated } : { output: value }
}

/** The first `length` characters of a body for an error message, on one line. */
export function bodyExcerpt(response: HttpResponse, scrub: (text: string) => string, length = 200): string {
  // Scrub the whole body before cutting it, so a secret is never half-visible at the edge.
  const text = scrub(new TextDecoder().decode(response.body)).replace(/\s+/g, ' ').trim()
  return text.length > length ? `${text.slice(0, length)}…` : text
}
