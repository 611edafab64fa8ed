import type { CallOptions, Page, PageRequest } from '../../common.js'
import type { ToolCallRecord } from '../../domain/tool.js'
import type { AgentId, SessionId } from '../../ids.js'
import type { TenantScope } from '../../scope.js'

export interface ToolCallFilter {
  readonly toolName?: string
  readonly agentId?: AgentId
  readonly sessionId?: SessionId
}

/** The tool-call audit trail: append-only, idempotent on id. */
export interface ToolCallStore {
  append(scope: TenantScope, record: ToolCallRecord, options?: CallOptions): Promise<void>
  /** Newest first. */
  list(
    scope: TenantScope,
    filter?: ToolCallFilter,
    page?: PageRequest,
    options?: CallOptions,
  ): Promise<Page<ToolCallRecord>>
  /** Calls of `toolName` made at or after `since` that count against budgets (not denied ones). */
  countSince(scope: TenantScope, toolName: string, since: Date, options?: CallOptions): Promise<number>
}
