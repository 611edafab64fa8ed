import type { CallOptions, Page, PageRequest } from '../../common.js'
import type { EncryptedValue, Secret } from '../../domain/secret.js'
import type { SecretId } from '../../ids.js'
import type { SystemScope, TenantScope } from '../../scope.js'

/** Encrypted company secrets, one per name. The store never sees plaintext. */
export interface SecretStore {
  /** Creates or replaces the secret with this name (keeping its id and `createdAt` on replace). */
  put(scope: TenantScope, secret: Secret, options?: CallOptions): Promise<Secret>
  getByName(scope: TenantScope, name: string, options?: CallOptions): Promise<Secret | null>
  /** By name. */
  list(scope: TenantScope, page?: PageRequest, options?: CallOptions): Promise<Page<Secret>>
  delete(scope: TenantScope, name: string, options?: CallOptions): Promise<boolean>
  /** Key rotation: every company's secrets, in id order. */
  listAll(scope: SystemScope, page?: PageRequest, options?: CallOptions): Promise<Page<Secret>>
  /** Key rotation: replaces the ciphertext if the secret still holds `expected` (else false). */
  replaceValue(
    scope: SystemScope,
    id: SecretId,
    expected: EncryptedValue,
    next: EncryptedValue,
    updatedAt: Date,
    options?: CallOptions,
  ): Promise<boolean>
}
