import type {
  CallOptions,
  Page,
  PageRequest,
  TenantScope,
  ToolCallFilter,
  ToolCallRecord,
  ToolCallStore,
} from '@agentry/contracts'
import { throwIfAborted } from './abort.js'
import { assertOwnRow, type MemoryDatabase, newestFirst } from './memory-database.js'
import { paginate } from './memory-page.js'

export class MemoryToolCallStore implements ToolCallStore {
  constructor(private readonly database: MemoryDatabase) {}

  async append(scope: TenantScope, record: ToolCallRecord, options?: CallOptions): Promise<void> {
    throwIfAborted(options, 'Recording a tool call')
    assertOwnRow(scope, record, 'tool call')
    this.database.requireCompany(scope)
    if (this.database.toolCalls.has(scope.companyId, record.id)) return
    this.database.toolCalls.set(scope.companyId, record.id, record)
  }

  async list(
    scope: TenantScope,
    filter: ToolCallFilter = {},
    page?: PageRequest,
    options?: CallOptions,
  ): Promise<Page<ToolCallRecord>> {
    throwIfAborted(options, 'Listing tool calls')
    const records = this.database.toolCalls
      .rows(scope.companyId)
      .filter(
        (record) =>
          (filter.toolName === undefined || record.toolName === filter.toolName) &&
          (filter.agentId === undefined || record.agentId === filter.agentId) &&
          (filter.sessionId === undefined || record.sessionId === filter.sessionId),
      )
    return paginate(records, newestFirst<ToolCallRecord>(), page)
  }

  async countSince(
    scope: TenantScope,
    toolName: string,
    since: Date,
    options?: CallOptions,
  ): Promise<number> {
    throwIfAborted(options, 'Counting tool calls')
    return this.database.toolCalls
      .rows(scope.companyId)
      .filter(
        (record) => record.toolName === toolName && record.createdAt >= since && record.status !== 'denied',
      ).length
  }
}
