import type { CallOptions, Page, PageRequest } from '../../common.js'
import type { ApiKey } from '../../domain/tenancy.js'
import type { ApiKeyId } from '../../ids.js'
import type { SystemScope, TenantScope } from '../../scope.js'

/**
 * API keys, stored as hashes. Prefixes are unique across the platform (`CONFLICT`). Revoked and
 * expired keys stay listed; authentication rejects them.
 */
export interface ApiKeyStore {
  create(scope: TenantScope, key: ApiKey, options?: CallOptions): Promise<ApiKey>
  get(scope: TenantScope, id: ApiKeyId, options?: CallOptions): Promise<ApiKey | null>
  /** Newest first. */
  list(scope: TenantScope, page?: PageRequest, options?: CallOptions): Promise<Page<ApiKey>>
  /** Sets `revokedAt` once; revoking again keeps the first time. Null when missing. */
  revoke(scope: TenantScope, id: ApiKeyId, at: Date, options?: CallOptions): Promise<ApiKey | null>
  /** Records use; best effort, at most the latest time wins. */
  touch(scope: TenantScope, id: ApiKeyId, at: Date, options?: CallOptions): Promise<void>
  /** Authentication, before the tenant is known. */
  findByPrefix(scope: SystemScope, prefix: string, options?: CallOptions): Promise<ApiKey | null>
}
