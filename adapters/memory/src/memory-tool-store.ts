import {
  type CallOptions,
  CoreError,
  type Page,
  type PageRequest,
  type TenantScope,
  type ToolDefinition,
  type ToolId,
  type ToolPatch,
  type ToolStore,
} from '@agentry/contracts'
import { throwIfAborted } from './abort.js'
import { assertOwnRow, type MemoryDatabase } from './memory-database.js'
import { paginate } from './memory-page.js'

export class MemoryToolStore implements ToolStore {
  constructor(private readonly database: MemoryDatabase) {}

  async create(scope: TenantScope, tool: ToolDefinition, options?: CallOptions): Promise<ToolDefinition> {
    throwIfAborted(options, 'Creating a tool')
    assertOwnRow(scope, tool, 'tool')
    this.database.requireCompany(scope)
    if (this.database.tools.has(scope.companyId, tool.id))
      throw new CoreError('CONFLICT', `Tool ${tool.id} already exists`)
    this.#assertNameFree(scope, tool.name, tool.id)
    this.database.tools.set(scope.companyId, tool.id, tool)
    return structuredClone(tool)
  }

  async get(scope: TenantScope, id: ToolId, options?: CallOptions): Promise<ToolDefinition | null> {
    throwIfAborted(options, 'Reading a tool')
    return this.database.tools.get(scope.companyId, id) ?? null
  }

  async getByNames(
    scope: TenantScope,
    names: readonly string[],
    options?: CallOptions,
  ): Promise<readonly ToolDefinition[]> {
    throwIfAborted(options, 'Reading tools by name')
    const wanted = new Set(names)
    return structuredClone(this.database.tools.rows(scope.companyId).filter((tool) => wanted.has(tool.name)))
  }

  async list(scope: TenantScope, page?: PageRequest, options?: CallOptions): Promise<Page<ToolDefinition>> {
    throwIfAborted(options, 'Listing tools')
    return paginate(
      this.database.tools.rows(scope.companyId),
      { key: (tool) => [tool.name], direction: 'asc' },
      page,
    )
  }

  async update(
    scope: TenantScope,
    id: ToolId,
    patch: ToolPatch,
    options?: CallOptions,
  ): Promise<ToolDefinition | null> {
    throwIfAborted(options, 'Updating a tool')
    const tool = this.database.tools.get(scope.companyId, id)
    if (!tool) return null
    if (patch.name !== undefined) this.#assertNameFree(scope, patch.name, id)
    const updated: ToolDefinition = { ...tool, ...structuredClone(patch) }
    this.database.tools.set(scope.companyId, id, updated)
    return structuredClone(updated)
  }

  async delete(scope: TenantScope, id: ToolId, options?: CallOptions): Promise<boolean> {
    throwIfAborted(options, 'Deleting a tool')
    return this.database.tools.delete(scope.companyId, id)
  }

  #assertNameFree(scope: TenantScope, name: string, id: ToolId): void {
    if (this.database.tools.rows(scope.companyId).some((tool) => tool.name === name && tool.id !== id)) {
      throw new CoreError('CONFLICT', `A tool named "${name}" already exists: pick another name`)
    }
  }
}
