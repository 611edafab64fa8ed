import type { EncryptedValue } from '../domain/secret.js'
import type { CompanyId } from '../ids.js'

/** Binds a ciphertext to its owner, so a value copied to another company or name fails to decrypt. */
export interface SecretContext {
  readonly companyId: CompanyId
  readonly name: string
}

/**
 * Encrypts credentials at rest. `encrypt` uses the current key; `decrypt` accepts any key the vault
 * still holds. Throws `UNAVAILABLE` for an unknown key id and `INTERNAL` for tampered ciphertext;
 * neither error's message contains plaintext or key material.
 */
export interface SecretVault {
  readonly currentKeyId: string
  encrypt(plaintext: string, context: SecretContext): Promise<EncryptedValue>
  decrypt(value: EncryptedValue, context: SecretContext): Promise<string>
}
