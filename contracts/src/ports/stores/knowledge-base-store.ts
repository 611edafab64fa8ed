import type { CallOptions, Page, PageRequest } from '../../common.js'
import type { KnowledgeBase } from '../../domain/knowledge.js'
import type { KnowledgeBaseId } from '../../ids.js'
import type { TenantScope } from '../../scope.js'

export type KnowledgeBasePatch = Partial<Pick<KnowledgeBase, 'name' | 'description' | 'chunking'>> & {
  readonly updatedAt: Date
}

/** Knowledge bases. Names are unique per company (`CONFLICT`). */
export interface KnowledgeBaseStore {
  create(scope: TenantScope, knowledgeBase: KnowledgeBase, options?: CallOptions): Promise<KnowledgeBase>
  get(scope: TenantScope, id: KnowledgeBaseId, options?: CallOptions): Promise<KnowledgeBase | null>
  /** Oldest first. */
  list(scope: TenantScope, page?: PageRequest, options?: CallOptions): Promise<Page<KnowledgeBase>>
  update(
    scope: TenantScope,
    id: KnowledgeBaseId,
    patch: KnowledgeBasePatch,
    options?: CallOptions,
  ): Promise<KnowledgeBase | null>
  /** Removes it with its documents and chunks (vectors are removed by the caller). */
  delete(scope: TenantScope, id: KnowledgeBaseId, options?: CallOptions): Promise<boolean>
}
