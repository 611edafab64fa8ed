import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** Every key starts with this, so secret scanners and people can tell what it is. */
export const API_KEY_MARKER = 'agt'
const PREFIX_BYTES = 6
const SECRET_BYTES = 32
const PREFIX_PATTERN = /^[0-9a-f]{12}$/

export interface ApiKeyToken {
  /** The whole key, `agt_<prefix>_<secret>`: shown once, never stored. */
  readonly key: string
  /** Public and unique: finds the stored key. */
  readonly prefix: string
  /** SHA-256 (hex) of the whole key: what is stored. */
  readonly hash: string
}

/** A new key: a 12-hex-character prefix and a secret of 32 random bytes, base64url. */
export function generateApiKeyToken(): ApiKeyToken {
  const prefix = randomBytes(PREFIX_BYTES).toString('hex')
  const secret = randomBytes(SECRET_BYTES).toString('base64url')
  const key = `${API_KEY_MARKER}_${prefix}_${secret}`
  return { key, prefix, hash: hashApiKey(key) }
}

/** The prefix of a well-formed key, else null. The secret may itself contain `_`. */
export function parseApiKeyPrefix(key: string): string | null {
  if (!key.startsWith(`${API_KEY_MARKER}_`)) return null
  const start = API_KEY_MARKER.length + 1
  const end = key.indexOf('_', start)
  if (end < 0) return null
  const prefix = key.slice(start, end)
  const secret = key.slice(end + 1)
  if (!PREFIX_PATTERN.test(prefix) || secret.length < 43) return null
  return prefix
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex')
}

/** Compares two SHA-256 hex digests in time that does not depend on where they differ. */
export function hashesEqual(expected: string, actual: string): boolean {
  const left = Buffer.from(expected, 'hex')
  const right = Buffer.from(actual, 'hex')
  if (left.length !== 32 || right.length !== 32) return false
  return timingSafeEqual(left, right)
}
