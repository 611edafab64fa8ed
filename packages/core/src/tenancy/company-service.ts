import type {
  CallOptions,
  Clock,
  Company,
  CompanyId,
  IdGenerator,
  Page,
  PageRequest,
  Stores,
} from '@agentry/contracts'
import { CoreError, PERMISSIONS, systemScope, tenantScope } from '@agentry/contracts'
import type { AuditRecorder } from '../audit/audit-recorder.js'
import { DEFAULT_PLAN_ID } from '../billing/default-price-book.js'
import type { RequestContext } from '../request-context.js'
import type { ApiKeyService, CreatedApiKey } from './api-key-service.js'
import { requirePlatformActor, scopeOf } from './permissions.js'

export interface CreateCompanyInput {
  readonly name: string
  /** Billing plan; `default` (the shipped example plan) when absent. */
  readonly planId?: string
  /** Name of the first admin API key; `Admin key` when absent. */
  readonly adminKeyName?: string
}

export interface CreatedCompany {
  readonly company: Company
  /** The first admin key (every permission). Its `key` is shown once. */
  readonly adminKey: CreatedApiKey
}

export type CompanyPatch = Partial<Pick<Company, 'name' | 'planId' | 'status'>>

/** Tenants. Creating, listing and changing companies is platform work. */
export class CompanyService {
  readonly #stores: Pick<Stores, 'companies'>
  readonly #apiKeys: ApiKeyService
  readonly #audit: AuditRecorder
  readonly #clock: Clock
  readonly #ids: IdGenerator

  constructor(
    stores: Pick<Stores, 'companies'>,
    apiKeys: ApiKeyService,
    audit: AuditRecorder,
    clock: Clock,
    ids: IdGenerator,
  ) {
    this.#stores = stores
    this.#apiKeys = apiKeys
    this.#audit = audit
    this.#clock = clock
    this.#ids = ids
  }

  /** Creates a company with its first admin API key (returned once). Platform actors only. */
  async create(
    context: RequestContext,
    input: CreateCompanyInput,
    options?: CallOptions,
  ): Promise<CreatedCompany> {
    requirePlatformActor(context.actor, 'create companies')
    const name = requireName(input.name)
    const now = this.#clock.now()
    const company = await this.#stores.companies.create(
      systemScope('company creation'),
      {
        id: this.#ids.next() as CompanyId,
        name,
        planId: input.planId?.trim() || DEFAULT_PLAN_ID,
        status: 'active',
        createdAt: now,
        updatedAt: now,
      },
      options,
    )
    const scope = tenantScope(company.id)
    await this.#audit.record(
      scope,
      context,
      {
        action: 'company.create',
        resourceType: 'company',
        resourceId: company.id,
        details: { name, planId: company.planId },
      },
      options,
    )
    const adminKey = await this.#apiKeys.issue(
      scope,
      context,
      input.adminKeyName?.trim() || 'Admin key',
      PERMISSIONS,
      null,
      options,
    )
    return { company, adminKey }
  }

  /** The context's company: a tenant actor's own, or the one a platform actor names. */
  async get(context: RequestContext, options?: CallOptions): Promise<Company> {
    const scope = scopeOf(context)
    const company = await this.#stores.companies.get(scope, options)
    if (!company) throw new CoreError('NOT_FOUND', `Company ${scope.companyId} not found.`)
    return company
  }

  async list(context: RequestContext, page?: PageRequest, options?: CallOptions): Promise<Page<Company>> {
    requirePlatformActor(context.actor, 'list companies')
    return this.#stores.companies.list(systemScope('company list'), page, options)
  }

  /** Renames, changes plan, suspends or reactivates. Platform actors only. */
  async update(context: RequestContext, patch: CompanyPatch, options?: CallOptions): Promise<Company> {
    requirePlatformActor(context.actor, 'change companies')
    const scope = scopeOf(context)
    const name = patch.name === undefined ? undefined : requireName(patch.name)
    const company = await this.#stores.companies.update(
      scope,
      {
        ...(name === undefined ? {} : { name }),
        ...(patch.planId === undefined ? {} : { planId: patch.planId }),
        ...(patch.status === undefined ? {} : { status: patch.status }),
        updatedAt: this.#clock.now(),
      },
      options,
    )
    if (!company) throw new CoreError('NOT_FOUND', `Company ${scope.companyId} not found.`)
    await this.#audit.record(
      scope,
      context,
      {
        action: patch.status === 'suspended' ? 'company.suspend' : 'company.update',
        resourceType: 'company',
        resourceId: company.id,
        details: { ...patch },
      },
      options,
    )
    return company
  }
}

function requireName(value: string): string {
  const name = value.trim()
  if (name.length === 0 || name.length > 200) {
    throw new CoreError('INVALID_INPUT', 'Company name must be 1 to 200 characters.', {
      details: { issues: [{ path: 'name', message: 'must be 1 to 200 characters' }] },
    })
  }
  return name
}
