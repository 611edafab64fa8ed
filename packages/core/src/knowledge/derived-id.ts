import { createHash } from 'node:crypto'

/**
 * A UUID (version 8, RFC 9562) derived from `name` by SHA-256: the same name always gives the same
 * id. Used where a retried job must write the very same rows again (usage events of an embedding
 * batch), so the store's idempotency on id makes the retry a no-op.
 */
export function derivedUuid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex')
  const variant = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}
