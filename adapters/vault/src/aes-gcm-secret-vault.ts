import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { CoreError, type EncryptedValue, type SecretContext, type SecretVault } from '@agentry/contracts'
import type { VaultConfig } from './vault-config.js'

const NONCE_BYTES = 12
const TAG_BYTES = 16

/**
 * AES-256-GCM with a fresh 96-bit nonce per value. The company id and secret name are bound in as
 * associated data, so a ciphertext copied to another company or name does not decrypt. Layout of
 * `ciphertext`: base64(nonce | encrypted bytes | tag).
 */
export class AesGcmSecretVault implements SecretVault {
  readonly currentKeyId: string
  private readonly keys: ReadonlyMap<string, Buffer>

  constructor(config: VaultConfig) {
    this.keys = new Map(config.keys.map((entry) => [entry.id, Buffer.from(entry.key, 'base64')]))
    this.currentKeyId = config.currentKeyId ?? config.keys[0]!.id
  }

  async encrypt(plaintext: string, context: SecretContext): Promise<EncryptedValue> {
    const nonce = randomBytes(NONCE_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.key(this.currentKeyId), nonce)
    cipher.setAAD(associatedData(context))
    const encrypted = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
    return {
      keyId: this.currentKeyId,
      ciphertext: Buffer.concat([nonce, encrypted, cipher.getAuthTag()]).toString('base64'),
    }
  }

  async decrypt(value: EncryptedValue, context: SecretContext): Promise<string> {
    const key = this.key(value.keyId)
    const raw = Buffer.from(value.ciphertext, 'base64')
    if (raw.length < NONCE_BYTES + TAG_BYTES) throw tampered()
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, NONCE_BYTES))
    decipher.setAAD(associatedData(context))
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES))
    try {
      return Buffer.concat([
        decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8')
    } catch {
      throw tampered()
    }
  }

  private key(id: string): Buffer {
    const key = this.keys.get(id)
    if (!key) {
      throw new CoreError(
        'UNAVAILABLE',
        `Master key "${id}" is not configured: add it to the vault's keys to read this secret`,
        {
          isRetryable: false,
        },
      )
    }
    return key
  }
}

function associatedData(context: SecretContext): Buffer {
  return Buffer.from(`agentry:secret:v1:${context.companyId}:${context.name}`, 'utf8')
}

function tampered(): CoreError {
  return new CoreError(
    'INTERNAL',
    'A stored secret failed its integrity check: it was altered or belongs elsewhere',
  )
}
