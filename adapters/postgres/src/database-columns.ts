import type { ColumnType } from 'kysely'

/** A JSONB column: parsed JSON when read, JSON text when written. */
export type JsonColumn<T = unknown> = ColumnType<T, string, string>
/** A bigint column: pg returns it as text, we write numbers. */
export type BigIntColumn = ColumnType<string | number, number, number>
