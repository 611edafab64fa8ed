import type { CallOptions, Page, PageRequest } from '../../common.js'
import type { ToolDefinition } from '../../domain/tool.js'
import type { ToolId } from '../../ids.js'
import type { TenantScope } from '../../scope.js'

export type ToolPatch = Partial<Omit<ToolDefinition, 'id' | 'companyId' | 'createdAt' | 'updatedAt'>> & {
  readonly updatedAt: Date
}

/** Tool definitions per company. Names are unique per company (`CONFLICT`). */
export interface ToolStore {
  create(scope: TenantScope, tool: ToolDefinition, options?: CallOptions): Promise<ToolDefinition>
  get(scope: TenantScope, id: ToolId, options?: CallOptions): Promise<ToolDefinition | null>
  /** The tools among `names` the company has defined. */
  getByNames(
    scope: TenantScope,
    names: readonly string[],
    options?: CallOptions,
  ): Promise<readonly ToolDefinition[]>
  /** By name. */
  list(scope: TenantScope, page?: PageRequest, options?: CallOptions): Promise<Page<ToolDefinition>>
  update(
    scope: TenantScope,
    id: ToolId,
    patch: ToolPatch,
    options?: CallOptions,
  ): Promise<ToolDefinition | null>
  delete(scope: TenantScope, id: ToolId, options?: CallOptions): Promise<boolean>
}
