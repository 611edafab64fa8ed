import type { Selectable } from 'kysely'

/**
 * A row as kysely returns it, or as `to_jsonb` returns it inside a single-statement read (dates
 * as ISO text, bigints as numbers). Mappers accept both.
 */
export type Row<T> = {
  [K in keyof Selectable<T>]: Selectable<T>[K] extends Date
    ? Date | string
    : Selectable<T>[K] extends Date | null
      ? Date | string | null
      : Selectable<T>[K]
}

export function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value)
}

export function toNullableDate(value: Date | string | null): Date | null {
  return value === null ? null : toDate(value)
}

/** bigint columns come back as text from `pg`; the values we store fit in a double. */
export function toNumber(value: string | number): number {
  return typeof value === 'number' ? value : Number(value)
}

/** JSONB parameters go as JSON text: `pg` would send a JS array as a PostgreSQL array. */
export function json(value: unknown): string {
  return JSON.stringify(value ?? null)
}

export function toBytes(value: Uint8Array): Uint8Array {
  return new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength))
}
