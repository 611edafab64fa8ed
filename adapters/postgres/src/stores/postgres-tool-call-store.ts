import type {
  CallOptions,
  Page,
  PageRequest,
  TenantScope,
  ToolCallFilter,
  ToolCallRecord,
  ToolCallStore,
} from '@agentry/contracts'
import { pastCursor, readKeyset, toPage } from '../keyset-page.js'
import type { UnitOfWork } from '../postgres-unit-of-work.js'
import { toolCallRow, toToolCall } from '../rows/tool-rows.js'

export class PostgresToolCallStore implements ToolCallStore {
  readonly #work: UnitOfWork

  constructor(work: UnitOfWork) {
    this.#work = work
  }

  async append(scope: TenantScope, record: ToolCallRecord, options?: CallOptions): Promise<void> {
    return this.#work.withTenant(
      scope,
      'tool call append',
      async (db) => {
        await db
          .insertInto('tool_calls')
          .values(toolCallRow(record))
          .onConflict((conflict) => conflict.columns(['company_id', 'id']).doNothing())
          .execute()
      },
      options,
    )
  }

  async list(
    scope: TenantScope,
    filter: ToolCallFilter = {},
    page?: PageRequest,
    options?: CallOptions,
  ): Promise<Page<ToolCallRecord>> {
    const { limit, after } = readKeyset(page, 2)
    return this.#work.withTenant(
      scope,
      'tool call list',
      async (db) => {
        let query = db.selectFrom('tool_calls').selectAll().where('company_id', '=', scope.companyId)
        if (filter.toolName !== undefined) query = query.where('tool_name', '=', filter.toolName)
        if (filter.agentId !== undefined) query = query.where('agent_id', '=', filter.agentId)
        if (filter.sessionId !== undefined) query = query.where('session_id', '=', filter.sessionId)
        if (after) query = query.where(pastCursor(['created_at', 'id'], 'desc', after))
        const rows = await query
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(limit + 1)
          .execute()
        return toPage(rows, limit, toToolCall, (row) => [row.created_at, row.id])
      },
      options,
    )
  }

  async countSince(
    scope: TenantScope,
    toolName: string,
    since: Date,
    options?: CallOptions,
  ): Promise<number> {
    return this.#work.withTenant(
      scope,
      'tool call count',
      async (db) => {
        const row = await db
          .selectFrom('tool_calls')
          .select((eb) => eb.fn.countAll<string>().as('count'))
          .where('company_id', '=', scope.companyId)
          .where('tool_name', '=', toolName)
          .where('created_at', '>=', since)
          .where('status', '!=', 'denied')
          .executeTakeFirstOrThrow()
        return Number(row.count)
      },
      options,
    )
  }
}
