import type { PasswordHasher } from '@agentry/contracts'
import { hash, verify } from '@node-rs/argon2'

/**
 * argon2id with the OWASP baseline (19 MiB, 2 passes, 1 lane): the library's defaults, spelled out
 * so a library upgrade cannot weaken them silently. Hashes are PHC strings carrying their own salt
 * and parameters, so raising the cost later keeps old hashes verifiable.
 */
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const

export class Argon2PasswordHasher implements PasswordHasher {
  hash(password: string): Promise<string> {
    return hash(password, OPTIONS)
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password)
    } catch {
      return false
    }
  }
}
