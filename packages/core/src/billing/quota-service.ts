import type {
  AgentId,
  ApiKeyId,
  CallOptions,
  Clock,
  IdGenerator,
  PriceBook,
  Quota,
  QuotaId,
  QuotaSubject,
  Stores,
  TenantScope,
} from '@agentry/contracts'
import { billingPeriodOf, CoreError, isUuid } from '@agentry/contracts'
import type { AuditRecorder } from '../audit/audit-recorder.js'
import type { RequestContext } from '../request-context.js'
import { requirePermission, scopeOf } from '../tenancy/permissions.js'
import { type QuotaMeter, type SubjectUsage, subjectKey } from './quota-meter.js'

export interface PutQuotaInput {
  readonly subject: QuotaSubject
  readonly metric: Quota['metric']
  /** Tokens, or micro-units of the plan's currency for `spend`. A non-negative integer. */
  readonly limit: number
}

/** A quota with what its subject used in the current period. */
export interface QuotaStatus extends Quota {
  readonly period: string
  /** Tokens or micro-units used this period. */
  readonly used: number
}

/** Monthly caps per company, agent and API key: one per subject and metric (`put` replaces). */
export class QuotaService {
  readonly #stores: Pick<Stores, 'quotas' | 'agents' | 'apiKeys'>
  readonly #meter: QuotaMeter
  readonly #audit: AuditRecorder
  readonly #clock: Clock
  readonly #ids: IdGenerator

  constructor(
    stores: Pick<Stores, 'quotas' | 'agents' | 'apiKeys'>,
    meter: QuotaMeter,
    audit: AuditRecorder,
    clock: Clock,
    ids: IdGenerator,
  ) {
    this.#stores = stores
    this.#meter = meter
    this.#audit = audit
    this.#clock = clock
    this.#ids = ids
  }

  /** Sets the cap of a subject and metric (`billing:manage`); the agent or key must exist here. */
  async put(context: RequestContext, input: PutQuotaInput, options?: CallOptions): Promise<Quota> {
    requirePermission(context.actor, 'billing:manage')
    const scope = scopeOf(context)
    const subject = checkInput(input)
    await this.#requireSubject(scope, subject, options)
    const now = this.#clock.now()
    const quota = await this.#stores.quotas.put(
      scope,
      {
        id: this.#ids.next() as QuotaId,
        companyId: scope.companyId,
        subject,
        metric: input.metric,
        limit: input.limit,
        createdAt: now,
        updatedAt: now,
      },
      options,
    )
    await this.#audit.record(
      scope,
      context,
      {
        action: 'quota.put',
        resourceType: 'quota',
        resourceId: quota.id,
        details: { subject: { ...subject }, metric: quota.metric, limit: quota.limit },
      },
      options,
    )
    return quota
  }

  /** Every quota with its subject's usage this period (`billing:view`). */
  async list(context: RequestContext, options?: CallOptions): Promise<readonly QuotaStatus[]> {
    requirePermission(context.actor, 'billing:view')
    const scope = scopeOf(context)
    const quotas = await this.#stores.quotas.list(scope, options)
    if (quotas.length === 0) return []
    const now = this.#clock.now()
    const period = billingPeriodOf(now)
    let book: PriceBook | null = null
    if (quotas.some((quota) => quota.metric === 'spend'))
      book = await this.#meter.bookFor(scope, now, options)
    const usage = new Map<string, SubjectUsage>()
    for (const quota of quotas) {
      const key = subjectKey(quota.subject)
      if (!usage.has(key))
        usage.set(key, await this.#meter.usageOf(scope, quota.subject, period, book, options))
    }
    return quotas.map((quota) => {
      const used = usage.get(subjectKey(quota.subject)) ?? { tokens: 0n, spendMicros: 0n }
      return { ...quota, period, used: Number(quota.metric === 'tokens' ? used.tokens : used.spendMicros) }
    })
  }

  async delete(context: RequestContext, id: QuotaId, options?: CallOptions): Promise<void> {
    requirePermission(context.actor, 'billing:manage')
    const scope = scopeOf(context)
    if (!(await this.#stores.quotas.delete(scope, id, options))) {
      throw new CoreError('NOT_FOUND', `Quota ${id} not found in this company.`)
    }
    await this.#audit.record(
      scope,
      context,
      { action: 'quota.delete', resourceType: 'quota', resourceId: id },
      options,
    )
  }

  async #requireSubject(scope: TenantScope, subject: QuotaSubject, options?: CallOptions): Promise<void> {
    if (subject.type === 'agent' && !(await this.#stores.agents.get(scope, subject.agentId, options))) {
      throw new CoreError('NOT_FOUND', `Agent ${subject.agentId} not found in this company.`)
    }
    if (subject.type === 'api-key' && !(await this.#stores.apiKeys.get(scope, subject.apiKeyId, options))) {
      throw new CoreError('NOT_FOUND', `API key ${subject.apiKeyId} not found in this company.`)
    }
  }
}

/** The subject as stored (only its own fields); `INVALID_INPUT` naming every problem. */
function checkInput(input: PutQuotaInput): QuotaSubject {
  const issues: { path: string; message: string }[] = []
  const subject = input?.subject as Partial<{ type: string; agentId: string; apiKeyId: string }> | undefined
  let clean: QuotaSubject | null = null
  if (subject?.type === 'company') clean = { type: 'company' }
  else if (subject?.type === 'agent' && isUuid(subject.agentId))
    clean = { type: 'agent', agentId: subject.agentId as AgentId }
  else if (subject?.type === 'api-key' && isUuid(subject.apiKeyId))
    clean = { type: 'api-key', apiKeyId: subject.apiKeyId as ApiKeyId }
  else
    issues.push({
      path: 'subject',
      message:
        'must be { type: company }, { type: agent, agentId } or { type: api-key, apiKeyId } with a UUID',
    })
  if (input?.metric !== 'tokens' && input?.metric !== 'spend')
    issues.push({ path: 'metric', message: 'must be tokens or spend' })
  if (!Number.isSafeInteger(input?.limit) || input.limit < 0)
    issues.push({
      path: 'limit',
      message: 'must be a non-negative integer (tokens, or micro-units for spend)',
    })
  if (issues.length > 0 || clean === null) {
    throw new CoreError(
      'INVALID_INPUT',
      `Quota is invalid: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
      { details: { issues } },
    )
  }
  return clean
}
