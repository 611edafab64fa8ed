import type { CompanyId, SecretId } from '../ids.js'

/** Ciphertext made by a `SecretVault`, with the key it was made with (for rotation). */
export interface EncryptedValue {
  readonly keyId: string
  /** base64 of nonce, ciphertext and authentication tag, as the vault lays them out. */
  readonly ciphertext: string
}

/** A company's credential (tool auth, provider key). Write-only through the API. */
export interface Secret {
  readonly id: SecretId
  readonly companyId: CompanyId
  /** Unique per company; `[A-Za-z0-9_.-]{1,64}`. */
  readonly name: string
  readonly value: EncryptedValue
  readonly createdAt: Date
  readonly updatedAt: Date
}
