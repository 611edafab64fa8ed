import type {
  CallOptions,
  Page,
  PageRequest,
  SystemScope,
  TenantScope,
  User,
  UserId,
  UserPatch,
  UserStore,
} from '@agentry/contracts'
import { pastCursor, readKeyset, toPage } from '../keyset-page.js'
import type { UnitOfWork } from '../postgres-unit-of-work.js'
import { toUser, userRow } from '../rows/tenancy-rows.js'

export class PostgresUserStore implements UserStore {
  readonly #work: UnitOfWork

  constructor(work: UnitOfWork) {
    this.#work = work
  }

  async create(scope: TenantScope, user: User, options?: CallOptions): Promise<User> {
    return this.#work.withTenant(
      scope,
      'user create',
      async (db) =>
        toUser(await db.insertInto('users').values(userRow(user)).returningAll().executeTakeFirstOrThrow()),
      options,
    )
  }

  async get(scope: TenantScope, id: UserId, options?: CallOptions): Promise<User | null> {
    return this.#work.withTenant(
      scope,
      'user get',
      async (db) => {
        const row = await db
          .selectFrom('users')
          .selectAll()
          .where('company_id', '=', scope.companyId)
          .where('id', '=', id)
          .executeTakeFirst()
        return row ? toUser(row) : null
      },
      options,
    )
  }

  async list(scope: TenantScope, page?: PageRequest, options?: CallOptions): Promise<Page<User>> {
    const { limit, after } = readKeyset(page, 2)
    return this.#work.withTenant(
      scope,
      'user list',
      async (db) => {
        let query = db.selectFrom('users').selectAll().where('company_id', '=', scope.companyId)
        if (after) query = query.where(pastCursor(['created_at', 'id'], 'asc', after))
        const rows = await query
          .orderBy('created_at')
          .orderBy('id')
          .limit(limit + 1)
          .execute()
        return toPage(rows, limit, toUser, (row) => [row.created_at, row.id])
      },
      options,
    )
  }

  async update(
    scope: TenantScope,
    id: UserId,
    patch: UserPatch,
    options?: CallOptions,
  ): Promise<User | null> {
    return this.#work.withTenant(
      scope,
      'user update',
      async (db) => {
        const row = await db
          .updateTable('users')
          .set({
            ...(patch.name !== undefined ? { name: patch.name } : {}),
            ...(patch.role !== undefined ? { role: patch.role } : {}),
            ...(patch.status !== undefined ? { status: patch.status } : {}),
            ...(patch.passwordHash !== undefined ? { password_hash: patch.passwordHash } : {}),
            updated_at: patch.updatedAt,
          })
          .where('company_id', '=', scope.companyId)
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst()
        return row ? toUser(row) : null
      },
      options,
    )
  }

  async delete(scope: TenantScope, id: UserId, options?: CallOptions): Promise<boolean> {
    return this.#work.withTenant(
      scope,
      'user delete',
      async (db) => {
        const result = await db
          .deleteFrom('users')
          .where('company_id', '=', scope.companyId)
          .where('id', '=', id)
          .executeTakeFirst()
        return result.numDeletedRows > 0n
      },
      options,
    )
  }

  async findByEmail(scope: SystemScope, email: string, options?: CallOptions): Promise<readonly User[]> {
    return this.#work.withSystem(
      scope,
      'user find by email',
      async (db) => {
        const rows = await db
          .selectFrom('users')
          .selectAll()
          .where('email', '=', email.toLowerCase())
          .orderBy('created_at')
          .orderBy('id')
          .execute()
        return rows.map(toUser)
      },
      options,
    )
  }
}
