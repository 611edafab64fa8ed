import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import type { PasswordHasher } from '@agentry/contracts'

/**
 * A PasswordHasher for tests and examples: scrypt with small parameters (fast, not for
 * production; the host uses argon2id). Output `scrypt$<salt>$<hash>`, base64url.
 */
export function createTestPasswordHasher(): PasswordHasher {
  return {
    async hash(password) {
      const salt = randomBytes(16)
      return `scrypt$${salt.toString('base64url')}$${(await derive(password, salt)).toString('base64url')}`
    },
    async verify(hash, password) {
      const [scheme, salt, expected] = hash.split('$')
      if (scheme !== 'scrypt' || !salt || !expected) return false
      const actual = await derive(password, Buffer.from(salt, 'base64url'))
      const wanted = Buffer.from(expected, 'base64url')
      return wanted.length === actual.length && timingSafeEqual(wanted, actual)
    },
  }
}

function derive(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, 32, { N: 1024, r: 8, p: 1 }, (error, key) =>
      error ? reject(error) : resolve(key),
    )
  })
}
