import type { CallOptions, Page, PageRequest } from '../../common.js'
import type { Company } from '../../domain/tenancy.js'
import type { SystemScope, TenantScope } from '../../scope.js'

/**
 * Companies are the tenants. Creating and listing them is platform work (system scope); a tenant
 * sees and changes only its own company. `create` throws `CONFLICT` for an existing id.
 */
export interface CompanyStore {
  create(scope: SystemScope, company: Company, options?: CallOptions): Promise<Company>
  /** The scope's own company, or null when it does not exist. */
  get(scope: TenantScope, options?: CallOptions): Promise<Company | null>
  /** Newest first. */
  list(scope: SystemScope, page?: PageRequest, options?: CallOptions): Promise<Page<Company>>
  update(
    scope: TenantScope,
    patch: Partial<Pick<Company, 'name' | 'planId' | 'status'>> & { readonly updatedAt: Date },
    options?: CallOptions,
  ): Promise<Company | null>
}
