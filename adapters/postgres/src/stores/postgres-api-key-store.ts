import type {
  ApiKey,
  ApiKeyId,
  ApiKeyStore,
  CallOptions,
  Page,
  PageRequest,
  SystemScope,
  TenantScope,
} from '@agentry/contracts'
import { sql } from 'kysely'
import { pastCursor, readKeyset, toPage } from '../keyset-page.js'
import type { UnitOfWork } from '../postgres-unit-of-work.js'
import { apiKeyRow, toApiKey } from '../rows/tenancy-rows.js'

export class PostgresApiKeyStore implements ApiKeyStore {
  readonly #work: UnitOfWork

  constructor(work: UnitOfWork) {
    this.#work = work
  }

  async create(scope: TenantScope, key: ApiKey, options?: CallOptions): Promise<ApiKey> {
    return this.#work.withTenant(
      scope,
      'api key create',
      async (db) =>
        toApiKey(
          await db.insertInto('api_keys').values(apiKeyRow(key)).returningAll().executeTakeFirstOrThrow(),
        ),
      options,
    )
  }

  async get(scope: TenantScope, id: ApiKeyId, options?: CallOptions): Promise<ApiKey | null> {
    return this.#work.withTenant(
      scope,
      'api key get',
      async (db) => {
        const row = await db
          .selectFrom('api_keys')
          .selectAll()
          .where('company_id', '=', scope.companyId)
          .where('id', '=', id)
          .executeTakeFirst()
        return row ? toApiKey(row) : null
      },
      options,
    )
  }

  async list(scope: TenantScope, page?: PageRequest, options?: CallOptions): Promise<Page<ApiKey>> {
    const { limit, after } = readKeyset(page, 2)
    return this.#work.withTenant(
      scope,
      'api key list',
      async (db) => {
        let query = db.selectFrom('api_keys').selectAll().where('company_id', '=', scope.companyId)
        if (after) query = query.where(pastCursor(['created_at', 'id'], 'desc', after))
        const rows = await query
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(limit + 1)
          .execute()
        return toPage(rows, limit, toApiKey, (row) => [row.created_at, row.id])
      },
      options,
    )
  }

  async revoke(scope: TenantScope, id: ApiKeyId, at: Date, options?: CallOptions): Promise<ApiKey | null> {
    return this.#work.withTenant(
      scope,
      'api key revoke',
      async (db) => {
        const row = await db
          .updateTable('api_keys')
          .set({ revoked_at: sql<Date>`coalesce(revoked_at, ${at})` })
          .where('company_id', '=', scope.companyId)
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst()
        return row ? toApiKey(row) : null
      },
      options,
    )
  }

  async touch(scope: TenantScope, id: ApiKeyId, at: Date, options?: CallOptions): Promise<void> {
    return this.#work.withTenant(
      scope,
      'api key touch',
      async (db) => {
        await db
          .updateTable('api_keys')
          .set({ last_used_at: at })
          .where('company_id', '=', scope.companyId)
          .where('id', '=', id)
          .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', at)]))
          .execute()
      },
      options,
    )
  }

  async findByPrefix(scope: SystemScope, prefix: string, options?: CallOptions): Promise<ApiKey | null> {
    return this.#work.withSystem(
      scope,
      'api key find by prefix',
      async (db) => {
        const row = await db
          .selectFrom('api_keys')
          .selectAll()
          .where('prefix', '=', prefix)
          .executeTakeFirst()
        return row ? toApiKey(row) : null
      },
      options,
    )
  }
}
