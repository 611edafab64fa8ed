import {
  type ApiKey,
  type ApiKeyId,
  type ApiKeyStore,
  type CallOptions,
  CoreError,
  type Page,
  type PageRequest,
  type SystemScope,
  type TenantScope,
} from '@agentry/contracts'
import { throwIfAborted } from './abort.js'
import { assertOwnRow, type MemoryDatabase, newestFirst } from './memory-database.js'
import { paginate } from './memory-page.js'

export class MemoryApiKeyStore implements ApiKeyStore {
  constructor(private readonly database: MemoryDatabase) {}

  async create(scope: TenantScope, key: ApiKey, options?: CallOptions): Promise<ApiKey> {
    throwIfAborted(options, 'Creating an API key')
    assertOwnRow(scope, key, 'API key')
    this.database.requireCompany(scope)
    if (this.database.apiKeys.has(scope.companyId, key.id))
      throw new CoreError('CONFLICT', `API key ${key.id} already exists`)
    if (this.database.apiKeyPrefixes.has(key.prefix)) {
      throw new CoreError('CONFLICT', 'An API key with this prefix already exists: generate a new key')
    }
    this.database.apiKeys.set(scope.companyId, key.id, key)
    this.database.apiKeyPrefixes.set(key.prefix, scope.companyId)
    return structuredClone(key)
  }

  async get(scope: TenantScope, id: ApiKeyId, options?: CallOptions): Promise<ApiKey | null> {
    throwIfAborted(options, 'Reading an API key')
    return this.database.apiKeys.get(scope.companyId, id) ?? null
  }

  async list(scope: TenantScope, page?: PageRequest, options?: CallOptions): Promise<Page<ApiKey>> {
    throwIfAborted(options, 'Listing API keys')
    return paginate(this.database.apiKeys.rows(scope.companyId), newestFirst<ApiKey>(), page)
  }

  async revoke(scope: TenantScope, id: ApiKeyId, at: Date, options?: CallOptions): Promise<ApiKey | null> {
    throwIfAborted(options, 'Revoking an API key')
    const key = this.database.apiKeys.get(scope.companyId, id)
    if (!key) return null
    if (key.revokedAt !== null) return key
    const revoked: ApiKey = { ...key, revokedAt: new Date(at) }
    this.database.apiKeys.set(scope.companyId, id, revoked)
    return structuredClone(revoked)
  }

  async touch(scope: TenantScope, id: ApiKeyId, at: Date, options?: CallOptions): Promise<void> {
    throwIfAborted(options, 'Recording API key use')
    const key = this.database.apiKeys.get(scope.companyId, id)
    if (!key || (key.lastUsedAt !== null && key.lastUsedAt >= at)) return
    this.database.apiKeys.set(scope.companyId, id, { ...key, lastUsedAt: new Date(at) })
  }

  async findByPrefix(_scope: SystemScope, prefix: string, options?: CallOptions): Promise<ApiKey | null> {
    throwIfAborted(options, 'Finding an API key')
    const companyId = this.database.apiKeyPrefixes.get(prefix)
    if (companyId === undefined) return null
    const key = this.database.apiKeys.rows(companyId).find((candidate) => candidate.prefix === prefix)
    return key ? structuredClone(key) : null
  }
}
