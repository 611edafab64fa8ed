import type { CallOptions, Quota, QuotaId, QuotaStore, TenantScope } from '@agentry/contracts'
import type { UnitOfWork } from '../postgres-unit-of-work.js'
import { quotaRow, toQuota } from '../rows/billing-rows.js'

export class PostgresQuotaStore implements QuotaStore {
  readonly #work: UnitOfWork

  constructor(work: UnitOfWork) {
    this.#work = work
  }

  async put(scope: TenantScope, quota: Quota, options?: CallOptions): Promise<Quota> {
    return this.#work.withTenant(
      scope,
      'quota put',
      async (db) => {
        const row = await db
          .insertInto('quotas')
          .values(quotaRow(quota))
          .onConflict((conflict) =>
            conflict.columns(['company_id', 'subject_key', 'metric']).doUpdateSet((eb) => ({
              id: eb.ref('excluded.id'),
              subject: eb.ref('excluded.subject'),
              limit: eb.ref('excluded.limit'),
              created_at: eb.ref('excluded.created_at'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .returningAll()
          .executeTakeFirstOrThrow()
        return toQuota(row)
      },
      options,
    )
  }

  async list(scope: TenantScope, options?: CallOptions): Promise<readonly Quota[]> {
    return this.#work.withTenant(
      scope,
      'quota list',
      async (db) => {
        const rows = await db
          .selectFrom('quotas')
          .selectAll()
          .where('company_id', '=', scope.companyId)
          .orderBy('created_at')
          .orderBy('id')
          .execute()
        return rows.map(toQuota)
      },
      options,
    )
  }

  async delete(scope: TenantScope, id: QuotaId, options?: CallOptions): Promise<boolean> {
    return this.#work.withTenant(
      scope,
      'quota delete',
      async (db) => {
        const result = await db
          .deleteFrom('quotas')
          .where('company_id', '=', scope.companyId)
          .where('id', '=', id)
          .executeTakeFirst()
        return result.numDeletedRows > 0n
      },
      options,
    )
  }
}
