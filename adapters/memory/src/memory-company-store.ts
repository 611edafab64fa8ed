import {
  type CallOptions,
  type Company,
  type CompanyStore,
  CoreError,
  type Page,
  type PageRequest,
  type SystemScope,
  type TenantScope,
} from '@agentry/contracts'
import { throwIfAborted } from './abort.js'
import { type MemoryDatabase, newestFirst } from './memory-database.js'
import { paginate } from './memory-page.js'

export class MemoryCompanyStore implements CompanyStore {
  constructor(private readonly database: MemoryDatabase) {}

  async create(_scope: SystemScope, company: Company, options?: CallOptions): Promise<Company> {
    throwIfAborted(options, 'Creating a company')
    if (this.database.companies.has(company.id)) {
      throw new CoreError('CONFLICT', `Company ${company.id} already exists`)
    }
    this.database.companies.set(company.id, structuredClone(company))
    return structuredClone(company)
  }

  async get(scope: TenantScope, options?: CallOptions): Promise<Company | null> {
    throwIfAborted(options, 'Reading a company')
    const company = this.database.companies.get(scope.companyId)
    return company ? structuredClone(company) : null
  }

  async list(_scope: SystemScope, page?: PageRequest, options?: CallOptions): Promise<Page<Company>> {
    throwIfAborted(options, 'Listing companies')
    return paginate(this.database.companies.values(), newestFirst<Company>(), page)
  }

  async update(
    scope: TenantScope,
    patch: Partial<Pick<Company, 'name' | 'planId' | 'status'>> & { readonly updatedAt: Date },
    options?: CallOptions,
  ): Promise<Company | null> {
    throwIfAborted(options, 'Updating a company')
    const company = this.database.companies.get(scope.companyId)
    if (!company) return null
    const updated: Company = { ...company, ...structuredClone(patch) }
    this.database.companies.set(company.id, updated)
    return structuredClone(updated)
  }
}
