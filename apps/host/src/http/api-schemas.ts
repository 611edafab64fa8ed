import { DEFAULT_PAGE_LIMIT, ERROR_CODES, MAX_PAGE_LIMIT, type Page } from '@agentry/contracts'
import { z } from 'zod'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** An id as the API returns it: a UUID (any case accepted, compared in lowercase). */
export const Id = z
  .string()
  .trim()
  .toLowerCase()
  .regex(UUID, 'must be an id as the API returns it (a UUID such as 0193b6f2-7c1a-7d2e-9a40-5b8e2f1c3d4a)')

/** Path parameters `{ <name>: Id }`, e.g. `idParams('agentId')`. */
export function idParams<const K extends string>(...names: K[]) {
  return z.object(Object.fromEntries(names.map((name) => [name, Id])) as Record<K, typeof Id>)
}

/** Timestamps go out as ISO 8601 strings (UTC). */
export const Timestamp = z.string().meta({ format: 'date-time', description: 'ISO 8601, UTC' })
export const iso = (date: Date): string => date.toISOString()
export const isoOrNull = (date: Date | null): string | null => (date ? date.toISOString() : null)

/** Keyset pagination, as every list route takes it. */
export const PageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_LIMIT)
    .default(DEFAULT_PAGE_LIMIT)
    .describe(`Items per page, 1 to ${MAX_PAGE_LIMIT} (default ${DEFAULT_PAGE_LIMIT}).`),
  cursor: z
    .string()
    .min(1)
    .max(1000)
    .optional()
    .describe('The `nextCursor` of the previous page; absent for the first page.'),
})

/** `{ data }`: the envelope of every successful response. */
export function envelope<T extends z.ZodType>(schema: T) {
  return z.object({ data: schema })
}

/** `{ data: [...], nextCursor }`: the envelope of every list; `nextCursor` is null on the last page. */
export function listEnvelope<T extends z.ZodType>(schema: T) {
  return z.object({ data: z.array(schema), nextCursor: z.string().nullable() })
}

export function data<T>(value: T): { data: T } {
  return { data: value }
}

export function page<T, U>(
  result: Page<T>,
  toWire: (item: T) => U,
): { data: U[]; nextCursor: string | null } {
  return { data: result.items.map(toWire), nextCursor: result.nextCursor }
}

export const FieldIssueSchema = z.object({
  path: z.string(),
  message: z.string(),
  location: z.enum(['body', 'querystring', 'params', 'headers']).optional(),
})

/** `{ error: { code, message, details?, requestId } }`: the envelope of every failure. */
export const ErrorEnvelope = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
      requestId: z.string(),
    }),
  })
  .meta({ id: 'Error' })

export const NoContent = z.null().describe('No content')

/** A JSON object whose values the API keeps as given (session metadata, audit details). */
export const JsonObject = z.record(z.string(), z.json())
