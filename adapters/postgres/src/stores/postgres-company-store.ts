import type {
  CallOptions,
  Company,
  CompanyStore,
  Page,
  PageRequest,
  SystemScope,
  TenantScope,
} from '@agentry/contracts'
import { pastCursor, readKeyset, toPage } from '../keyset-page.js'
import type { UnitOfWork } from '../postgres-unit-of-work.js'
import { companyRow, toCompany } from '../rows/tenancy-rows.js'

type CompanyPatch = Partial<Pick<Company, 'name' | 'planId' | 'status'>> & { readonly updatedAt: Date }

export class PostgresCompanyStore implements CompanyStore {
  readonly #work: UnitOfWork

  constructor(work: UnitOfWork) {
    this.#work = work
  }

  async create(scope: SystemScope, company: Company, options?: CallOptions): Promise<Company> {
    return this.#work.withSystem(
      scope,
      'company create',
      async (db) => {
        const row = await db
          .insertInto('companies')
          .values(companyRow(company))
          .returningAll()
          .executeTakeFirstOrThrow()
        return toCompany(row)
      },
      options,
    )
  }

  async get(scope: TenantScope, options?: CallOptions): Promise<Company | null> {
    return this.#work.withTenant(
      scope,
      'company get',
      async (db) => {
        const row = await db
          .selectFrom('companies')
          .selectAll()
          .where('id', '=', scope.companyId)
          .executeTakeFirst()
        return row ? toCompany(row) : null
      },
      options,
    )
  }

  async list(scope: SystemScope, page?: PageRequest, options?: CallOptions): Promise<Page<Company>> {
    const { limit, after } = readKeyset(page, 2)
    return this.#work.withSystem(
      scope,
      'company list',
      async (db) => {
        let query = db.selectFrom('companies').selectAll()
        if (after) query = query.where(pastCursor(['created_at', 'id'], 'desc', after))
        const rows = await query
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(limit + 1)
          .execute()
        return toPage(rows, limit, toCompany, (row) => [row.created_at, row.id])
      },
      options,
    )
  }

  async update(scope: TenantScope, patch: CompanyPatch, options?: CallOptions): Promise<Company | null> {
    return this.#work.withTenant(
      scope,
      'company update',
      async (db) => {
        const row = await db
          .updateTable('companies')
          .set({
            ...(patch.name !== undefined ? { name: patch.name } : {}),
            ...(patch.planId !== undefined ? { plan_id: patch.planId } : {}),
            ...(patch.status !== undefined ? { status: patch.status } : {}),
            updated_at: patch.updatedAt,
          })
          .where('id', '=', scope.companyId)
          .returningAll()
          .executeTakeFirst()
        return row ? toCompany(row) : null
      },
      options,
    )
  }
}
