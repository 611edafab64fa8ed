import type { SecretVault } from '@agentry/contracts'
import { AesGcmSecretVault } from './aes-gcm-secret-vault.js'
import { type VaultConfigInput, VaultConfigSchema } from './vault-config.js'

export function createSecretVault(config: VaultConfigInput): SecretVault {
  return new AesGcmSecretVault(VaultConfigSchema.parse(config))
}
