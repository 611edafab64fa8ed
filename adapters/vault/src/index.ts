export { AesGcmSecretVault } from './aes-gcm-secret-vault.js'
export { createSecretVault } from './create-vault.js'
export type { VaultConfig, VaultConfigInput } from './vault-config.js'
export { VaultConfigSchema } from './vault-config.js'
