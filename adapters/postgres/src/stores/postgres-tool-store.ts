import type {
  CallOptions,
  Page,
  PageRequest,
  TenantScope,
  ToolDefinition,
  ToolId,
  ToolPatch,
  ToolStore,
} from '@agentry/contracts'
import { pastCursor, readKeyset, toPage } from '../keyset-page.js'
import type { UnitOfWork } from '../postgres-unit-of-work.js'
import { toolColumns, toolRow, toTool } from '../rows/tool-rows.js'

export class PostgresToolStore implements ToolStore {
  readonly #work: UnitOfWork

  constructor(work: UnitOfWork) {
    this.#work = work
  }

  async create(scope: TenantScope, tool: ToolDefinition, options?: CallOptions): Promise<ToolDefinition> {
    return this.#work.withTenant(
      scope,
      'tool create',
      async (db) =>
        toTool(await db.insertInto('tools').values(toolRow(tool)).returningAll().executeTakeFirstOrThrow()),
      options,
    )
  }

  async get(scope: TenantScope, id: ToolId, options?: CallOptions): Promise<ToolDefinition | null> {
    return this.#work.withTenant(
      scope,
      'tool get',
      async (db) => {
        const row = await db
          .selectFrom('tools')
          .selectAll()
          .where('company_id', '=', scope.companyId)
          .where('id', '=', id)
          .executeTakeFirst()
        return row ? toTool(row) : null
      },
      options,
    )
  }

  async getByNames(
    scope: TenantScope,
    names: readonly string[],
    options?: CallOptions,
  ): Promise<readonly ToolDefinition[]> {
    return this.#work.withTenant(
      scope,
      'tool get by names',
      async (db) => {
        if (names.length === 0) return []
        const rows = await db
          .selectFrom('tools')
          .selectAll()
          .where('company_id', '=', scope.companyId)
          .where('name', 'in', [...names])
          .orderBy('name')
          .execute()
        return rows.map(toTool)
      },
      options,
    )
  }

  async list(scope: TenantScope, page?: PageRequest, options?: CallOptions): Promise<Page<ToolDefinition>> {
    const { limit, after } = readKeyset(page, 1)
    return this.#work.withTenant(
      scope,
      'tool list',
      async (db) => {
        let query = db.selectFrom('tools').selectAll().where('company_id', '=', scope.companyId)
        if (after) query = query.where(pastCursor(['name'], 'asc', after))
        const rows = await query
          .orderBy('name')
          .limit(limit + 1)
          .execute()
        return toPage(rows, limit, toTool, (row) => [row.name])
      },
      options,
    )
  }

  async update(
    scope: TenantScope,
    id: ToolId,
    patch: ToolPatch,
    options?: CallOptions,
  ): Promise<ToolDefinition | null> {
    return this.#work.withTenant(
      scope,
      'tool update',
      async (db) => {
        const row = await db
          .updateTable('tools')
          .set(toolColumns(patch))
          .where('company_id', '=', scope.companyId)
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst()
        return row ? toTool(row) : null
      },
      options,
    )
  }

  async delete(scope: TenantScope, id: ToolId, options?: CallOptions): Promise<boolean> {
    return this.#work.withTenant(
      scope,
      'tool delete',
      async (db) => {
        const result = await db
          .deleteFrom('tools')
          .where('company_id', '=', scope.companyId)
          .where('id', '=', id)
          .executeTakeFirst()
        return result.numDeletedRows > 0n
      },
      options,
    )
  }
}
