import type {
  Clock,
  HttpClient,
  IdGenerator,
  JobQueue,
  RateLimiter,
  SecretVault,
  Stores,
  Telemetry,
  ToolRuntime,
} from '@agentry/contracts'
import type { AuditRecorder } from '../audit/audit-recorder.js'
import { JobService } from '../jobs/job-service.js'
import type { JsonSchemaValidator } from '../json-schema/json-schema-validator.js'
import type { Retriever } from '../orchestrator/retriever.js'
import { SecretService } from '../secrets/secret-service.js'
import { BuiltinToolRuntime } from './builtin-tool-runtime.js'
import { createKnowledgeSearchTool } from './builtins/knowledge-search.js'
import { createMathEvaluateTool } from './builtins/math-evaluate.js'
import { createTimeNowTool } from './builtins/time-now.js'
import { CompanyToolSource } from './company-tool-source.js'
import { HttpToolRuntime, type OutboundHostPolicy } from './http/http-tool-runtime.js'
import { ToolCallPolicy } from './tool-call-policy.js'
import type { OutboundTargetCheck } from './tool-definition-checks.js'
import { DEFAULT_TOOL_TIMEOUT_MS, ToolExecutor } from './tool-executor.js'
import type { ToolRegistry } from './tool-registry.js'
import { ToolService } from './tool-service.js'
import { WorkflowToolRuntime } from './workflow-tool-runtime.js'

/** What company tools, secrets and jobs need; everything but the stores is optional. */
export interface ToolingDependencies {
  /** The guarded outbound client (@agentry/outbound). Without it, `http` tools fail with `UNAVAILABLE`. */
  readonly http?: HttpClient
  /** Encrypts company secrets. Without it, secrets (and HTTP tool auth) fail with `UNAVAILABLE`. */
  readonly vault?: SecretVault
  /** For workflow tools and the job status endpoint. */
  readonly jobs?: JobQueue
  /** Enforces tools' `rateLimitPerMinute`; without it that limit is not enforced (budgets still are). */
  readonly rateLimiter?: RateLimiter
  /** Refuses literal internal hosts when an HTTP tool is saved (the guard checks every call anyway). */
  readonly checkOutboundTarget?: OutboundTargetCheck
  /** Per-company host allow/deny lists for HTTP tools. */
  readonly outboundHosts?: OutboundHostPolicy
  /** Extra runtimes (e.g. `mcp`), replacing a built-in one of the same kind. */
  readonly toolRuntimes?: readonly ToolRuntime[]
  /** Register `time.now` and `math.evaluate` (and `knowledge.search` with a retriever). Default true. */
  readonly defaultBuiltins?: boolean
}

export interface Tooling {
  readonly toolDefinitions: ToolService
  readonly secrets: SecretService
  readonly jobs: JobService
}

interface Shared {
  readonly stores: Stores
  readonly registry: ToolRegistry
  readonly schemas: JsonSchemaValidator
  readonly audit: AuditRecorder
  readonly clock: Clock
  readonly ids: IdGenerator
  readonly telemetry: Telemetry
  readonly retriever?: Retriever
  readonly defaultToolTimeoutMs?: number
}

/**
 * Wires company tools into the registry (builtins in code, the company-tools source with its
 * runtimes and policies) and makes the tool, secret and job services. Called by `createAgentry`.
 */
export function createTooling(shared: Shared, dependencies: ToolingDependencies): Tooling {
  const { stores, registry, schemas, clock, ids } = shared
  if (dependencies.defaultBuiltins !== false) {
    const builtins = [createTimeNowTool(clock), createMathEvaluateTool()]
    const { retriever } = shared
    if (retriever) {
      builtins.push(
        createKnowledgeSearchTool(retriever, async (scope, agentId, options) => {
          const agent = await stores.agents.get(scope, agentId, options)
          if (!agent) return null
          const version = await stores.agents.getVersion(scope, agentId, agent.currentVersion, options)
          return version?.config.knowledge ?? null
        }),
      )
    }
    for (const tool of builtins) if (!registry.has(tool.name)) registry.register(tool)
  }
  const secrets = new SecretService(stores.secrets, dependencies.vault ?? null, shared.audit, clock, ids)
  const runtimes = new Map<string, ToolRuntime>()
  runtimes.set('builtin', new BuiltinToolRuntime(registry, schemas))
  runtimes.set('workflow', new WorkflowToolRuntime(dependencies.jobs ?? null))
  if (dependencies.http) {
    runtimes.set(
      'http',
      new HttpToolRuntime({
        http: dependencies.http,
        secrets,
        ...(dependencies.outboundHosts ? { hosts: dependencies.outboundHosts } : {}),
      }),
    )
  }
  for (const runtime of dependencies.toolRuntimes ?? []) runtimes.set(runtime.kind, runtime)
  const policy = new ToolCallPolicy(stores.toolCalls, clock, dependencies.rateLimiter ?? null)
  const source = new CompanyToolSource(stores.tools, [...runtimes.values()], policy)
  registry.addSource(source)
  const executor = new ToolExecutor(
    schemas,
    stores.toolCalls,
    clock,
    ids,
    shared.defaultToolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS,
    shared.telemetry,
  )
  return {
    toolDefinitions: new ToolService({
      stores,
      registry,
      source,
      executor,
      schemas,
      audit: shared.audit,
      clock,
      ids,
      ...(dependencies.checkOutboundTarget ? { checkTarget: dependencies.checkOutboundTarget } : {}),
    }),
    secrets,
    jobs: new JobService(dependencies.jobs ?? null),
  }
}
