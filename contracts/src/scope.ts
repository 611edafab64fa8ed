import type { CompanyId } from './ids.js'

/**
 * The tenant a unit of work runs for. Every store method that touches tenant data takes one first;
 * a store never returns or changes a row of another company under it.
 */
export interface TenantScope {
  readonly type: 'tenant'
  readonly companyId: CompanyId
}

/**
 * Work that crosses tenants on purpose: looking up an API key before the tenant is known, drafting
 * every company's invoice, rotating every secret. Only methods that say so accept it, so a
 * cross-tenant read is visible in the types and in code review. `reason` goes to logs.
 */
export interface SystemScope {
  readonly type: 'system'
  readonly reason: string
}

export function tenantScope(companyId: CompanyId): TenantScope {
  return Object.freeze({ type: 'tenant', companyId })
}

export function systemScope(reason: string): SystemScope {
  return Object.freeze({ type: 'system', reason })
}
