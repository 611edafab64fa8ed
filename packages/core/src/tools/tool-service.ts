import type {
  CallOptions,
  Clock,
  IdGenerator,
  JsonValue,
  Page,
  PageRequest,
  Stores,
  TenantScope,
  ToolCallFilter,
  ToolCallRecord,
  ToolCallStatus,
  ToolDefinition,
  ToolId,
  UsageEventId,
} from '@agentry/contracts'
import { CoreError, zodIssues } from '@agentry/contracts'
import type { AuditRecorder } from '../audit/audit-recorder.js'
import type { JsonSchemaValidator } from '../json-schema/json-schema-validator.js'
import type { RequestContext } from '../request-context.js'
import { requirePermission, scopeOf } from '../tenancy/permissions.js'
import type { CompanyToolSource } from './company-tool-source.js'
import { definitionIssues, type OutboundTargetCheck } from './tool-definition-checks.js'
import type { ToolExecutor } from './tool-executor.js'
import { type ParsedToolInput, type ToolInput, ToolInputSchema } from './tool-input.js'
import type { ToolRegistry } from './tool-registry.js'

export type ToolTestResult =
  | {
      readonly ok: true
      readonly result: JsonValue
      readonly status: ToolCallStatus
      readonly durationMs: number
    }
  | {
      readonly ok: false
      readonly error: { readonly code: string; readonly message: string }
      readonly status: ToolCallStatus
      readonly durationMs: number
    }

export interface ToolServiceDependencies {
  readonly stores: Pick<Stores, 'tools' | 'toolCalls' | 'usage'>
  readonly registry: ToolRegistry
  readonly source: CompanyToolSource
  readonly executor: ToolExecutor
  readonly schemas: JsonSchemaValidator
  readonly audit: AuditRecorder
  readonly clock: Clock
  readonly ids: IdGenerator
  readonly checkTarget?: OutboundTargetCheck
}

/**
 * A company's tool definitions (`tools:view`, `tools:manage`): checked when saved (shape, JSON
 * Schemas compiled with ajv, URL templates, literal internal hosts), audited, and runnable as a dry
 * run that executes for real through the same runtime, guard and policies as a turn.
 */
export class ToolService {
  readonly #dependencies: ToolServiceDependencies

  constructor(dependencies: ToolServiceDependencies) {
    this.#dependencies = dependencies
  }

  /** Checks a definition without saving it: the parsed input with defaults, or `INVALID_INPUT`. */
  validate(input: unknown): ParsedToolInput {
    const parsed = ToolInputSchema.safeParse(input ?? {})
    const issues = parsed.success
      ? definitionIssues(parsed.data, {
          schemas: this.#dependencies.schemas,
          isBuiltin: (name) => this.#dependencies.registry.has(name),
          ...(this.#dependencies.checkTarget ? { checkTarget: this.#dependencies.checkTarget } : {}),
        })
      : zodIssues(parsed.error)
    if (issues.length > 0 || !parsed.success) {
      throw new CoreError(
        'INVALID_INPUT',
        `Tool definition is invalid: ${issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ')}`,
        { details: { issues } },
      )
    }
    return parsed.data
  }

  async create(context: RequestContext, input: ToolInput, options?: CallOptions): Promise<ToolDefinition> {
    requirePermission(context.actor, 'tools:manage')
    const scope = scopeOf(context)
    const parsed = this.validate(input)
    this.#refuseBuiltinName(parsed.name)
    const now = this.#dependencies.clock.now()
    const tool = await this.#dependencies.stores.tools.create(
      scope,
      {
        ...parsed,
        id: this.#dependencies.ids.next() as ToolId,
        companyId: scope.companyId,
        createdAt: now,
        updatedAt: now,
      },
      options,
    )
    await this.#record(scope, context, 'tool.create', tool, options)
    return tool
  }

  async get(context: RequestContext, id: ToolId, options?: CallOptions): Promise<ToolDefinition> {
    requirePermission(context.actor, 'tools:view')
    return this.#require(scopeOf(context), id, options)
  }

  async list(
    context: RequestContext,
    page?: PageRequest,
    options?: CallOptions,
  ): Promise<Page<ToolDefinition>> {
    requirePermission(context.actor, 'tools:view')
    return this.#dependencies.stores.tools.list(scopeOf(context), page, options)
  }

  /** Applies the given top-level fields and checks the whole definition again. */
  async update(
    context: RequestContext,
    id: ToolId,
    patch: Partial<ToolInput>,
    options?: CallOptions,
  ): Promise<ToolDefinition> {
    requirePermission(context.actor, 'tools:manage')
    const scope = scopeOf(context)
    const current = await this.#require(scope, id, options)
    const { id: _id, companyId: _company, createdAt: _created, updatedAt: _updated, ...fields } = current
    const parsed = this.validate({ ...fields, ...stripUndefined(patch) })
    if (parsed.name !== current.name) this.#refuseBuiltinName(parsed.name)
    const updated = await this.#dependencies.stores.tools.update(
      scope,
      id,
      { ...parsed, updatedAt: this.#dependencies.clock.now() },
      options,
    )
    if (!updated) throw notFound(id)
    await this.#record(scope, context, 'tool.update', updated, options)
    return updated
  }

  async delete(context: RequestContext, id: ToolId, options?: CallOptions): Promise<void> {
    requirePermission(context.actor, 'tools:manage')
    const scope = scopeOf(context)
    const tool = await this.#require(scope, id, options)
    if (!(await this.#dependencies.stores.tools.delete(scope, id, options))) throw notFound(id)
    await this.#record(scope, context, 'tool.delete', tool, options)
  }

  /**
   * Runs the tool once with `args`, for real: validation, policies (budgets, rate limit), runtime,
   * outbound guard and audit as in a turn. The audit row has no agent, session or turn, which marks
   * it as a test call; a call that ran is billed as a `tool.call` usage event like any other.
   */
  async test(
    context: RequestContext,
    id: ToolId,
    args: unknown,
    options?: CallOptions,
  ): Promise<ToolTestResult> {
    requirePermission(context.actor, 'tools:manage')
    const scope = scopeOf(context)
    const definition = await this.#require(scope, id, options)
    const tool = this.#dependencies.source.toResolved(scope, definition)
    const [outcome] = await this.#dependencies.executor.run({
      scope,
      context: { scope, agentId: null, sessionId: null, turnId: null },
      calls: [
        {
          id: `test-${this.#dependencies.ids.next()}`,
          name: definition.name,
          argumentsJson: JSON.stringify(args ?? {}),
        },
      ],
      allowed: new Set([definition.name]),
      tools: new Map([[definition.name, tool]]),
      maxParallel: 1,
      ...(options?.signal ? { signal: options.signal } : {}),
    })
    if (!outcome) throw new CoreError('INTERNAL', 'The test call produced no outcome.')
    if (outcome.executed) await this.#recordUsage(scope, context, definition.name, options)
    const durationMs = Math.round(outcome.durationMs)
    if (outcome.error) return { ok: false, error: outcome.error, status: outcome.status, durationMs }
    return { ok: true, result: outcome.output, status: outcome.status, durationMs }
  }

  /** The tool-call audit trail, newest first (arguments and results as redacted when written). */
  async listCalls(
    context: RequestContext,
    filter?: ToolCallFilter,
    page?: PageRequest,
    options?: CallOptions,
  ): Promise<Page<ToolCallRecord>> {
    requirePermission(context.actor, 'tools:view')
    return this.#dependencies.stores.toolCalls.list(scopeOf(context), filter, page, options)
  }

  #refuseBuiltinName(name: string): void {
    if (!this.#dependencies.registry.has(name)) return
    throw new CoreError(
      'CONFLICT',
      `"${name}" is a builtin tool of this platform: choose another name (a builtin-kind tool can wrap it).`,
      { details: { issues: [{ path: 'name', message: 'taken by a builtin tool' }] } },
    )
  }

  async #require(scope: TenantScope, id: ToolId, options?: CallOptions): Promise<ToolDefinition> {
    const tool = await this.#dependencies.stores.tools.get(scope, id, options)
    if (!tool) throw notFound(id)
    return tool
  }

  async #record(
    scope: TenantScope,
    context: RequestContext,
    action: string,
    tool: ToolDefinition,
    options?: CallOptions,
  ): Promise<void> {
    await this.#dependencies.audit.record(
      scope,
      context,
      { action, resourceType: 'tool', resourceId: tool.id, details: { name: tool.name, kind: tool.kind } },
      options,
    )
  }

  async #recordUsage(scope: TenantScope, context: RequestContext, toolName: string, options?: CallOptions) {
    const { actor } = context
    await this.#dependencies.stores.usage.append(
      scope,
      [
        {
          id: this.#dependencies.ids.next() as UsageEventId,
          companyId: scope.companyId,
          kind: 'tool.call',
          occurredAt: this.#dependencies.clock.now(),
          agentId: null,
          sessionId: null,
          turnId: null,
          apiKeyId: actor.type === 'api-key' ? actor.apiKeyId : null,
          provider: null,
          model: null,
          toolName,
          inputTokens: 0,
          outputTokens: 0,
          cachedInputTokens: 0,
          quantity: 1,
        },
      ],
      options,
    )
  }
}

function notFound(id: ToolId): CoreError {
  return new CoreError('NOT_FOUND', `Tool ${id} not found in this company.`)
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>
}
