import type {
  BuiltinTool,
  ChatModelResolver,
  Clock,
  IdGenerator,
  Lock,
  PasswordHasher,
  Stores,
  Telemetry,
  Tokenizer,
} from '@agentry/contracts'
import { CoreError, createUuidV7Generator, noopTelemetry, systemClock } from '@agentry/contracts'
import { AgentConfigValidator, type ProviderOptionsValidator } from './agents/agent-config-validator.js'
import { AgentService } from './agents/agent-service.js'
import { AuditRecorder } from './audit/audit-recorder.js'
import { type Billing, createBilling } from './billing/create-billing.js'
import type { JobService } from './jobs/job-service.js'
import { JsonSchemaValidator } from './json-schema/json-schema-validator.js'
import { UsageService } from './metering/usage-service.js'
import type { ResilienceOptionsInput } from './models/resilience-options.js'
import { ResilientModelCaller } from './models/resilient-model-caller.js'
import { DirectModelCaller, type ModelCaller } from './orchestrator/model-caller.js'
import { Orchestrator, type OrchestratorOptions } from './orchestrator/orchestrator.js'
import type { Retriever } from './orchestrator/retriever.js'
import type { SecretService } from './secrets/secret-service.js'
import { ObservedModelCaller } from './telemetry/observed-model-caller.js'
import { ApiKeyService } from './tenancy/api-key-service.js'
import { CompanyService } from './tenancy/company-service.js'
import { UserService } from './tenancy/user-service.js'
import { createTooling, type ToolingDependencies } from './tools/create-tooling.js'
import { ToolRegistry } from './tools/tool-registry.js'
import type { ToolService } from './tools/tool-service.js'

/** Tooling fields (http, vault, jobs, rateLimiter, ...) are described on `ToolingDependencies`. */
export interface AgentryDependencies extends ToolingDependencies {
  readonly stores: Stores
  readonly models: ChatModelResolver
  readonly lock: Lock
  readonly tokenizer: Tokenizer
  /** For user accounts (argon2id in the host). Without it, user creation and login fail with `UNAVAILABLE`. */
  readonly passwordHasher?: PasswordHasher
  /** A registry (to add tool sources later) or the builtin tools to register. */
  readonly tools?: ToolRegistry | readonly BuiltinTool[]
  readonly retriever?: Retriever
  /**
   * How turns call models. Default: a `ResilientModelCaller` (retries, circuit breakers, fallbacks)
   * configured by `resilience`, its breakers shared by every turn of this instance. Pass another
   * (e.g. one decorating `new ResilientModelCaller(...)`) to add checks around each call.
   */
  readonly modelCaller?: ModelCaller
  /** Backoff and circuit breaker settings of the default model caller (docs/models.md). */
  readonly resilience?: ResilienceOptionsInput
  /** Checks `providerOptions.<provider>` when agent configs are saved (e.g. the scripted model's rules). */
  readonly validateProviderOptions?: ProviderOptionsValidator
  readonly clock?: Clock
  readonly ids?: IdGenerator
  readonly telemetry?: Telemetry
  readonly orchestrator?: OrchestratorOptions
}

/** Every service of the runtime, wired over one set of ports. */
export interface Agentry {
  readonly companies: CompanyService
  readonly apiKeys: ApiKeyService
  readonly users: UserService
  readonly agents: AgentService
  readonly orchestrator: Orchestrator
  readonly usage: UsageService
  readonly tools: ToolRegistry
  readonly audit: AuditRecorder
  /** Price books, invoices, quotas and the monthly billing run. */
  readonly billing: Billing
  /** Company tool definitions: CRUD, dry runs, the tool-call audit trail. */
  readonly toolDefinitions: ToolService
  readonly secrets: SecretService
  readonly jobs: JobService
}

/**
 * The composition root of the core: plain constructors, no container (docs/decisions). The host
 * and embedding programs call it once with their adapters. It owns nothing: closing stores and
 * locks stays with the caller that made them.
 */
export function createAgentry(dependencies: AgentryDependencies): Agentry {
  const clock = dependencies.clock ?? systemClock
  const ids = dependencies.ids ?? createUuidV7Generator(clock)
  const telemetry = dependencies.telemetry ?? noopTelemetry
  const { stores } = dependencies
  const schemas = new JsonSchemaValidator()
  const tools =
    dependencies.tools instanceof ToolRegistry
      ? dependencies.tools
      : new ToolRegistry(dependencies.tools ?? [])
  const audit = new AuditRecorder(stores.audit, clock, ids)
  const apiKeys = new ApiKeyService(stores, audit, clock, ids)
  const configs = new AgentConfigValidator(schemas, dependencies.validateProviderOptions)
  const tooling = createTooling(
    {
      stores,
      registry: tools,
      schemas,
      audit,
      clock,
      ids,
      telemetry,
      ...(dependencies.retriever ? { retriever: dependencies.retriever } : {}),
      ...(dependencies.orchestrator?.defaultToolTimeoutMs
        ? { defaultToolTimeoutMs: dependencies.orchestrator.defaultToolTimeoutMs }
        : {}),
    },
    dependencies,
  )
  const billing = createBilling({ stores, audit, tokenizer: dependencies.tokenizer, clock, ids })
  // Each attempt (under the retries) is traced and measured.
  const modelCaller =
    dependencies.modelCaller ??
    new ResilientModelCaller({
      inner: new ObservedModelCaller(new DirectModelCaller(), telemetry),
      ...(dependencies.resilience ? { resilience: dependencies.resilience } : {}),
    })
  return {
    companies: new CompanyService(stores, apiKeys, audit, clock, ids),
    apiKeys,
    users: new UserService(stores, dependencies.passwordHasher ?? missingPasswordHasher, audit, clock, ids),
    agents: new AgentService(stores, configs, audit, clock, ids),
    billing,
    orchestrator: new Orchestrator({
      stores,
      models: dependencies.models,
      lock: dependencies.lock,
      tokenizer: dependencies.tokenizer,
      tools,
      schemas,
      clock,
      ids,
      telemetry,
      ...(dependencies.retriever ? { retriever: dependencies.retriever } : {}),
      modelCaller,
      budget: billing.guard,
      ...(dependencies.orchestrator ? { options: dependencies.orchestrator } : {}),
    }),
    usage: new UsageService(stores),
    tools,
    audit,
    ...tooling,
  }
}

const missingPasswordHasher: PasswordHasher = {
  hash: () => Promise.reject(noHasher()),
  verify: () => Promise.reject(noHasher()),
}

function noHasher(): CoreError {
  return new CoreError(
    'UNAVAILABLE',
    'User accounts need a PasswordHasher: pass passwordHasher to createAgentry.',
    {
      isRetryable: false,
    },
  )
}
