import {
  type CallOptions,
  CoreError,
  type Page,
  type PageRequest,
  type SystemScope,
  type TenantScope,
  type User,
  type UserId,
  type UserPatch,
  type UserStore,
} from '@agentry/contracts'
import { throwIfAborted } from './abort.js'
import { assertOwnRow, type MemoryDatabase, oldestFirst } from './memory-database.js'
import { paginate } from './memory-page.js'

export class MemoryUserStore implements UserStore {
  constructor(private readonly database: MemoryDatabase) {}

  async create(scope: TenantScope, user: User, options?: CallOptions): Promise<User> {
    throwIfAborted(options, 'Creating a user')
    assertOwnRow(scope, user, 'user')
    this.database.requireCompany(scope)
    const stored: User = { ...user, email: user.email.toLowerCase() }
    const users = this.database.users
    if (users.has(scope.companyId, user.id)) throw new CoreError('CONFLICT', `User ${user.id} already exists`)
    if (users.rows(scope.companyId).some((existing) => existing.email === stored.email)) {
      throw new CoreError('CONFLICT', `A user with email ${stored.email} already exists in this company`)
    }
    users.set(scope.companyId, user.id, stored)
    return structuredClone(stored)
  }

  async get(scope: TenantScope, id: UserId, options?: CallOptions): Promise<User | null> {
    throwIfAborted(options, 'Reading a user')
    return this.database.users.get(scope.companyId, id) ?? null
  }

  async list(scope: TenantScope, page?: PageRequest, options?: CallOptions): Promise<Page<User>> {
    throwIfAborted(options, 'Listing users')
    return paginate(this.database.users.rows(scope.companyId), oldestFirst<User>(), page)
  }

  async update(
    scope: TenantScope,
    id: UserId,
    patch: UserPatch,
    options?: CallOptions,
  ): Promise<User | null> {
    throwIfAborted(options, 'Updating a user')
    const user = this.database.users.get(scope.companyId, id)
    if (!user) return null
    const updated: User = { ...user, ...structuredClone(patch) }
    this.database.users.set(scope.companyId, id, updated)
    return structuredClone(updated)
  }

  async delete(scope: TenantScope, id: UserId, options?: CallOptions): Promise<boolean> {
    throwIfAborted(options, 'Deleting a user')
    return this.database.users.delete(scope.companyId, id)
  }

  async findByEmail(_scope: SystemScope, email: string, options?: CallOptions): Promise<readonly User[]> {
    throwIfAborted(options, 'Finding users by email')
    const wanted = email.toLowerCase()
    const found = [...this.database.users.allRows()].filter((user) => user.email === wanted)
    return structuredClone(found)
  }
}
