import type {
  AgentConfigInput,
  AgentId,
  ChatModel,
  CompanyId,
  CoreError,
  Lock,
  Stores,
  Tokenizer,
  TurnEvent,
  TurnId,
  TurnResult,
  UsageEvent,
} from '@agentry/contracts'
import { tenantScope } from '@agentry/contracts'
import type { KitSkip } from '@agentry/contracts/testing'
import { type Agentry, createAgentry } from '../create-agentry.js'
import { StaticModelResolver } from '../models/static-model-resolver.js'
import type { TurnRequest } from '../orchestrator/orchestrator.js'
import type { RequestContext } from '../request-context.js'
import { ProbeChatModel } from './probe-chat-model.js'
import { type RecordedStores, recordStoreCalls } from './recording-stores.js'
import { createTestPasswordHasher } from './test-password-hasher.js'
import { createTestTools, type ToolProbe } from './test-tools.js'

export interface OrchestratorSuiteOptions {
  /** Shown in the describe block, e.g. `PostgresStores on PGlite`. */
  readonly name: string
  /** Called once per file; every test works in a company of its own. */
  readonly createStores: () => Promise<Stores> | Stores
  readonly cleanup?: (stores: Stores) => Promise<void> | void
  /** `@agentry/local`'s scripted model: the tests script replies through `providerOptions.local`. */
  readonly createChatModel: () => ChatModel
  readonly tokenizer: Tokenizer
  /** A fresh Lock per test (e.g. `new MemoryLock()`, or the adapter's own). */
  readonly createLock: () => Lock
  readonly skip?: readonly KitSkip[]
}

export interface TurnRun {
  readonly events: readonly TurnEvent[]
  readonly result: TurnResult | null
  readonly error: CoreError | null
}

/** One test's world: a new company with an admin key, probes around the model and the tools. */
export interface OrchestratorHarness {
  readonly agentry: Agentry
  /** The stores every call goes through, recording each call. */
  readonly recorded: RecordedStores
  readonly model: ProbeChatModel
  readonly tools: ToolProbe
  readonly context: RequestContext
  readonly companyId: CompanyId
  createAgent(config: AgentConfigInput): Promise<AgentId>
  run(request: Omit<TurnRequest, 'context'> & { readonly context?: RequestContext }): Promise<TurnRun>
  /** The stored usage events of one turn, oldest first. */
  usageOf(turnId: TurnId): Promise<UsageEvent[]>
  close(): Promise<void>
}

export async function createOrchestratorHarness(
  options: OrchestratorSuiteOptions,
  stores: Stores,
): Promise<OrchestratorHarness> {
  const recorded = recordStoreCalls(stores)
  const model = new ProbeChatModel(options.createChatModel())
  const { registry, probe } = createTestTools()
  const lock = options.createLock()
  const agentry = createAgentry({
    stores: recorded.stores,
    models: new StaticModelResolver([model]),
    lock,
    tokenizer: options.tokenizer,
    passwordHasher: createTestPasswordHasher(),
    tools: registry,
  })
  const created = await agentry.companies.create(
    { actor: { type: 'platform-admin' } },
    { name: 'Orchestrator suite' },
  )
  const actor = await agentry.apiKeys.authenticate(created.adminKey.key)
  const context: RequestContext = { actor, requestId: 'suite' }
  const companyId = created.company.id
  return {
    agentry,
    recorded,
    model,
    tools: probe,
    context,
    companyId,
    async createAgent(config) {
      const { agent } = await agentry.agents.create(context, { name: 'Suite agent', config })
      return agent.id
    },
    async run(request) {
      const events: TurnEvent[] = []
      for await (const event of agentry.orchestrator.run({ context, ...request })) events.push(event)
      const last = events.at(-1)
      return {
        events,
        result: last?.type === 'turn-end' ? last.result : null,
        error: last?.type === 'error' ? last.error : null,
      }
    },
    async usageOf(turnId) {
      const page = await stores.usage.list(tenantScope(companyId), {}, { limit: 200 })
      return page.items.filter((event) => event.turnId === turnId)
    },
    close: () => lock.close(),
  }
}

/** `providerOptions` for the scripted model with these rules (see @agentry/local's README). */
export function scripted(rules: readonly Record<string, unknown>[]): AgentConfigInput['providerOptions'] {
  return { local: { rules } }
}
