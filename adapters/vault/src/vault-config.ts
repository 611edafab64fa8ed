import { z } from 'zod'

const KEY_ID = /^[A-Za-z0-9_.-]{1,32}$/

const MasterKeySchema = z.object({
  id: z.string().regex(KEY_ID, 'key ids are 1-32 letters, digits, _ . -'),
  /** 32 random bytes, base64 (`openssl rand -base64 32`). */
  key: z
    .string()
    .refine(
      (value) => Buffer.from(value, 'base64').length === 32,
      'must be 32 bytes in base64 (openssl rand -base64 32)',
    ),
})

export const VaultConfigSchema = z
  .object({
    /** Every key the vault can decrypt with; the first one encrypts, unless `currentKeyId` says otherwise. */
    keys: z.array(MasterKeySchema).min(1, 'at least one master key is needed'),
    currentKeyId: z.string().regex(KEY_ID).optional(),
  })
  .strict()
  .refine((config) => !config.currentKeyId || config.keys.some((key) => key.id === config.currentKeyId), {
    message: 'currentKeyId must name one of the keys',
    path: ['currentKeyId'],
  })
  .refine((config) => new Set(config.keys.map((key) => key.id)).size === config.keys.length, {
    message: 'key ids must be unique',
    path: ['keys'],
  })

export type VaultConfig = z.output<typeof VaultConfigSchema>
export type VaultConfigInput = z.input<typeof VaultConfigSchema>
