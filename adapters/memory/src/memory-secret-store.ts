import type {
  CallOptions,
  EncryptedValue,
  Page,
  PageRequest,
  Secret,
  SecretId,
  SecretStore,
  SystemScope,
  TenantScope,
} from '@agentry/contracts'
import { throwIfAborted } from './abort.js'
import { assertOwnRow, type MemoryDatabase } from './memory-database.js'
import { paginate } from './memory-page.js'

/** Secrets keyed by name within each company. */
export class MemorySecretStore implements SecretStore {
  constructor(private readonly database: MemoryDatabase) {}

  async put(scope: TenantScope, secret: Secret, options?: CallOptions): Promise<Secret> {
    throwIfAborted(options, 'Saving a secret')
    assertOwnRow(scope, secret, 'secret')
    this.database.requireCompany(scope)
    const existing = this.database.secrets.peek(scope.companyId, secret.name)
    const stored: Secret = existing ? { ...secret, id: existing.id, createdAt: existing.createdAt } : secret
    this.database.secrets.set(scope.companyId, secret.name, stored)
    return structuredClone(stored)
  }

  async getByName(scope: TenantScope, name: string, options?: CallOptions): Promise<Secret | null> {
    throwIfAborted(options, 'Reading a secret')
    return this.database.secrets.get(scope.companyId, name) ?? null
  }

  async list(scope: TenantScope, page?: PageRequest, options?: CallOptions): Promise<Page<Secret>> {
    throwIfAborted(options, 'Listing secrets')
    return paginate(
      this.database.secrets.rows(scope.companyId),
      { key: (secret) => [secret.name], direction: 'asc' },
      page,
    )
  }

  async delete(scope: TenantScope, name: string, options?: CallOptions): Promise<boolean> {
    throwIfAborted(options, 'Deleting a secret')
    return this.database.secrets.delete(scope.companyId, name)
  }

  async listAll(_scope: SystemScope, page?: PageRequest, options?: CallOptions): Promise<Page<Secret>> {
    throwIfAborted(options, 'Listing every secret')
    return paginate(this.database.secrets.allRows(), { key: (secret) => [secret.id], direction: 'asc' }, page)
  }

  async replaceValue(
    _scope: SystemScope,
    id: SecretId,
    expected: EncryptedValue,
    next: EncryptedValue,
    updatedAt: Date,
    options?: CallOptions,
  ): Promise<boolean> {
    throwIfAborted(options, 'Replacing a secret value')
    for (const secret of this.database.secrets.allRows()) {
      if (secret.id !== id) continue
      if (secret.value.keyId !== expected.keyId || secret.value.ciphertext !== expected.ciphertext)
        return false
      this.database.secrets.set(secret.companyId, secret.name, {
        ...secret,
        value: { ...next },
        updatedAt: new Date(updatedAt),
      })
      return true
    }
    return false
  }
}
