import type {
  CallOptions,
  KnowledgeBase,
  KnowledgeBaseId,
  KnowledgeBasePatch,
  KnowledgeBaseStore,
  Page,
  PageRequest,
  TenantScope,
} from '@agentry/contracts'
import { pastCursor, readKeyset, toPage } from '../keyset-page.js'
import type { UnitOfWork } from '../postgres-unit-of-work.js'
import { knowledgeBaseRow, toKnowledgeBase } from '../rows/knowledge-rows.js'
import { json } from '../rows/row-values.js'

export class PostgresKnowledgeBaseStore implements KnowledgeBaseStore {
  readonly #work: UnitOfWork

  constructor(work: UnitOfWork) {
    this.#work = work
  }

  async create(
    scope: TenantScope,
    knowledgeBase: KnowledgeBase,
    options?: CallOptions,
  ): Promise<KnowledgeBase> {
    return this.#work.withTenant(
      scope,
      'knowledge base create',
      async (db) =>
        toKnowledgeBase(
          await db
            .insertInto('knowledge_bases')
            .values(knowledgeBaseRow(knowledgeBase))
            .returningAll()
            .executeTakeFirstOrThrow(),
        ),
      options,
    )
  }

  async get(scope: TenantScope, id: KnowledgeBaseId, options?: CallOptions): Promise<KnowledgeBase | null> {
    return this.#work.withTenant(
      scope,
      'knowledge base get',
      async (db) => {
        const row = await db
          .selectFrom('knowledge_bases')
          .selectAll()
          .where('company_id', '=', scope.companyId)
          .where('id', '=', id)
          .executeTakeFirst()
        return row ? toKnowledgeBase(row) : null
      },
      options,
    )
  }

  async list(scope: TenantScope, page?: PageRequest, options?: CallOptions): Promise<Page<KnowledgeBase>> {
    const { limit, after } = readKeyset(page, 2)
    return this.#work.withTenant(
      scope,
      'knowledge base list',
      async (db) => {
        let query = db.selectFrom('knowledge_bases').selectAll().where('company_id', '=', scope.companyId)
        if (after) query = query.where(pastCursor(['created_at', 'id'], 'asc', after))
        const rows = await query
          .orderBy('created_at')
          .orderBy('id')
          .limit(limit + 1)
          .execute()
        return toPage(rows, limit, toKnowledgeBase, (row) => [row.created_at, row.id])
      },
      options,
    )
  }

  async update(
    scope: TenantScope,
    id: KnowledgeBaseId,
    patch: KnowledgeBasePatch,
    options?: CallOptions,
  ): Promise<KnowledgeBase | null> {
    return this.#work.withTenant(
      scope,
      'knowledge base update',
      async (db) => {
        const row = await db
          .updateTable('knowledge_bases')
          .set({
            ...(patch.name !== undefined ? { name: patch.name } : {}),
            ...(patch.description !== undefined ? { description: patch.description } : {}),
            ...(patch.chunking !== undefined ? { chunking: json(patch.chunking) } : {}),
            updated_at: patch.updatedAt,
          })
          .where('company_id', '=', scope.companyId)
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst()
        return row ? toKnowledgeBase(row) : null
      },
      options,
    )
  }

  async delete(scope: TenantScope, id: KnowledgeBaseId, options?: CallOptions): Promise<boolean> {
    return this.#work.withTenant(
      scope,
      'knowledge base delete',
      async (db) => {
        const result = await db
          .deleteFrom('knowledge_bases')
          .where('company_id', '=', scope.companyId)
          .where('id', '=', id)
          .executeTakeFirst()
        return result.numDeletedRows > 0n
      },
      options,
    )
  }
}
