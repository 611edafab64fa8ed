import type { FastifyReply, FastifyRequest } from 'fastify'

type Cell = string | number | boolean | null | undefined

/**
 * RFC 4180 CSV: a header row, CRLF line ends, fields with a comma, quote or line break quoted.
 * Text starting with `=`, `+`, `-`, `@` or a tab is prefixed with `'` so spreadsheets do not run it
 * as a formula (model names and ids never start so; user-chosen values might).
 */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [header, ...rows]
    .map((row) => row.map(csvField).join(','))
    .join('\r\n')
    .concat('\r\n')
}

function csvField(value: Cell): string {
  if (value === null || value === undefined) return ''
  if (typeof value !== 'string') return String(value)
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** True when the caller asked for CSV: `?format=csv`, or `Accept: text/csv` without `format=json`. */
export function wantsCsv(request: FastifyRequest, format: 'json' | 'csv' | undefined): boolean {
  if (format !== undefined) return format === 'csv'
  const accept = request.headers.accept ?? ''
  return /(^|,)\s*text\/csv/i.test(accept)
}

/** Sends CSV text past the route's JSON response schema (the route writes the reply itself). */
export function sendCsv(reply: FastifyReply, csv: string, filename: string): void {
  reply
    .code(200)
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .serializer((payload: unknown) => String(payload))
    .send(csv)
}
