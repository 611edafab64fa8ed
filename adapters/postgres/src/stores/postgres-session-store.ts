import type {
  CallOptions,
  Message,
  Page,
  PageRequest,
  Session,
  SessionFilter,
  SessionId,
  SessionStore,
  TenantScope,
} from '@agentry/contracts'
import { pastCursor, readKeyset, toPage } from '../keyset-page.js'
import type { UnitOfWork } from '../postgres-unit-of-work.js'
import { toMessage, toSession } from '../rows/conversation-rows.js'

export class PostgresSessionStore implements SessionStore {
  readonly #work: UnitOfWork

  constructor(work: UnitOfWork) {
    this.#work = work
  }

  async get(scope: TenantScope, id: SessionId, options?: CallOptions): Promise<Session | null> {
    return this.#work.withTenant(
      scope,
      'session get',
      async (db) => {
        const row = await db
          .selectFrom('sessions')
          .selectAll()
          .where('company_id', '=', scope.companyId)
          .where('id', '=', id)
          .executeTakeFirst()
        return row ? toSession(row) : null
      },
      options,
    )
  }

  async list(
    scope: TenantScope,
    filter: SessionFilter = {},
    page?: PageRequest,
    options?: CallOptions,
  ): Promise<Page<Session>> {
    const { limit, after } = readKeyset(page, 2)
    return this.#work.withTenant(
      scope,
      'session list',
      async (db) => {
        let query = db.selectFrom('sessions').selectAll().where('company_id', '=', scope.companyId)
        if (filter.agentId !== undefined) query = query.where('agent_id', '=', filter.agentId)
        if (filter.externalUserId !== undefined)
          query = query.where('external_user_id', '=', filter.externalUserId)
        if (after) query = query.where(pastCursor(['updated_at', 'id'], 'desc', after))
        const rows = await query
          .orderBy('updated_at', 'desc')
          .orderBy('id', 'desc')
          .limit(limit + 1)
          .execute()
        return toPage(rows, limit, toSession, (row) => [row.updated_at, row.id])
      },
      options,
    )
  }

  async listMessages(
    scope: TenantScope,
    sessionId: SessionId,
    page: PageRequest & { readonly order?: 'asc' | 'desc' } = {},
    options?: CallOptions,
  ): Promise<Page<Message>> {
    const { limit, after } = readKeyset(page, 1)
    const order = page.order ?? 'asc'
    return this.#work.withTenant(
      scope,
      'session list messages',
      async (db) => {
        let query = db
          .selectFrom('messages')
          .selectAll()
          .where('company_id', '=', scope.companyId)
          .where('session_id', '=', sessionId)
        if (after) query = query.where(pastCursor(['id'], order, after))
        const rows = await query
          .orderBy('id', order)
          .limit(limit + 1)
          .execute()
        return toPage(rows, limit, toMessage, (row) => [row.id])
      },
      options,
    )
  }

  async delete(scope: TenantScope, id: SessionId, options?: CallOptions): Promise<boolean> {
    return this.#work.withTenant(
      scope,
      'session delete',
      async (db) => {
        const result = await db
          .deleteFrom('sessions')
          .where('company_id', '=', scope.companyId)
          .where('id', '=', id)
          .executeTakeFirst()
        return result.numDeletedRows > 0n
      },
      options,
    )
  }
}
