import type { CallOptions, Page, PageRequest } from '../../common.js'
import type { User } from '../../domain/tenancy.js'
import type { UserId } from '../../ids.js'
import type { SystemScope, TenantScope } from '../../scope.js'

export type UserPatch = Partial<Pick<User, 'name' | 'role' | 'status' | 'passwordHash'>> & {
  readonly updatedAt: Date
}

/**
 * Studio users. Emails are stored lowercased and are unique within a company (`CONFLICT`), not
 * across companies: one person may belong to several.
 */
export interface UserStore {
  create(scope: TenantScope, user: User, options?: CallOptions): Promise<User>
  get(scope: TenantScope, id: UserId, options?: CallOptions): Promise<User | null>
  /** Oldest first. */
  list(scope: TenantScope, page?: PageRequest, options?: CallOptions): Promise<Page<User>>
  update(scope: TenantScope, id: UserId, patch: UserPatch, options?: CallOptions): Promise<User | null>
  delete(scope: TenantScope, id: UserId, options?: CallOptions): Promise<boolean>
  /** Login, before the tenant is known: every user with this email in any company. */
  findByEmail(scope: SystemScope, email: string, options?: CallOptions): Promise<readonly User[]>
}
