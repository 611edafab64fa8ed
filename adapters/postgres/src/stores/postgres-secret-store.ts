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
import { pastCursor, readKeyset, toPage } from '../keyset-page.js'
import type { UnitOfWork } from '../postgres-unit-of-work.js'
import { secretRow, toSecret } from '../rows/tool-rows.js'

export class PostgresSecretStore implements SecretStore {
  readonly #work: UnitOfWork

  constructor(work: UnitOfWork) {
    this.#work = work
  }

  async put(scope: TenantScope, secret: Secret, options?: CallOptions): Promise<Secret> {
    return this.#work.withTenant(
      scope,
      'secret put',
      async (db) => {
        const row = await db
          .insertInto('secrets')
          .values(secretRow(secret))
          .onConflict((conflict) =>
            conflict.columns(['company_id', 'name']).doUpdateSet((eb) => ({
              key_id: eb.ref('excluded.key_id'),
              ciphertext: eb.ref('excluded.ciphertext'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .returningAll()
          .executeTakeFirstOrThrow()
        return toSecret(row)
      },
      options,
    )
  }

  async getByName(scope: TenantScope, name: string, options?: CallOptions): Promise<Secret | null> {
    return this.#work.withTenant(
      scope,
      'secret get',
      async (db) => {
        const row = await db
          .selectFrom('secrets')
          .selectAll()
          .where('company_id', '=', scope.companyId)
          .where('name', '=', name)
          .executeTakeFirst()
        return row ? toSecret(row) : null
      },
      options,
    )
  }

  async list(scope: TenantScope, page?: PageRequest, options?: CallOptions): Promise<Page<Secret>> {
    const { limit, after } = readKeyset(page, 1)
    return this.#work.withTenant(
      scope,
      'secret list',
      async (db) => {
        let query = db.selectFrom('secrets').selectAll().where('company_id', '=', scope.companyId)
        if (after) query = query.where(pastCursor(['name'], 'asc', after))
        const rows = await query
          .orderBy('name')
          .limit(limit + 1)
          .execute()
        return toPage(rows, limit, toSecret, (row) => [row.name])
      },
      options,
    )
  }

  async delete(scope: TenantScope, name: string, options?: CallOptions): Promise<boolean> {
    return this.#work.withTenant(
      scope,
      'secret delete',
      async (db) => {
        const result = await db
          .deleteFrom('secrets')
          .where('company_id', '=', scope.companyId)
          .where('name', '=', name)
          .executeTakeFirst()
        return result.numDeletedRows > 0n
      },
      options,
    )
  }

  async listAll(scope: SystemScope, page?: PageRequest, options?: CallOptions): Promise<Page<Secret>> {
    const { limit, after } = readKeyset(page, 2)
    return this.#work.withSystem(
      scope,
      'secret list all',
      async (db) => {
        let query = db.selectFrom('secrets').selectAll()
        if (after) query = query.where(pastCursor(['id', 'company_id'], 'asc', after))
        const rows = await query
          .orderBy('id')
          .orderBy('company_id')
          .limit(limit + 1)
          .execute()
        return toPage(rows, limit, toSecret, (row) => [row.id, row.company_id])
      },
      options,
    )
  }

  async replaceValue(
    scope: SystemScope,
    id: SecretId,
    expected: EncryptedValue,
    next: EncryptedValue,
    updatedAt: Date,
    options?: CallOptions,
  ): Promise<boolean> {
    return this.#work.withSystem(
      scope,
      'secret replace value',
      async (db) => {
        const result = await db
          .updateTable('secrets')
          .set({ key_id: next.keyId, ciphertext: next.ciphertext, updated_at: updatedAt })
          .where('id', '=', id)
          .where('key_id', '=', expected.keyId)
          .where('ciphertext', '=', expected.ciphertext)
          .executeTakeFirst()
        return result.numUpdatedRows > 0n
      },
      options,
    )
  }
}
