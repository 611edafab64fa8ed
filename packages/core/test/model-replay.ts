import { readFileSync } from 'node:fs'
import { createAnthropic } from '@agentry/anthropic'
import type {
  AgentConfigInput,
  AgentId,
  ChatModelResolver,
  CompanyId,
  CoreError,
  TurnEvent,
  TurnResult,
  UsageEvent,
} from '@agentry/contracts'
import { CoreError as CoreErrorClass, tenantScope } from '@agentry/contracts'
import {
  type RecordedRequest,
  type ReplayResponse,
  type ReplayServer,
  splitServerSentEvents,
  startReplayServer,
} from '@agentry/contracts/testing'
import { createTokenizer } from '@agentry/local'
import { createMemoryStores, MemoryLock } from '@agentry/memory'
import { createOpenAI } from '@agentry/openai'
import {
  type Agentry,
  createAgentry,
  type RequestContext,
  type ResilienceOptionsInput,
  type TurnRequest,
} from '../src/index.js'

/**
 * Recorded provider answers, read from the adapters' fixtures (origins in their SOURCES.md), so the
 * core's fault tests replay the same trimmed recordings to the real SDKs.
 */
const OPENAI_FIXTURES = new URL('../../../adapters/openai/test/fixtures/', import.meta.url)
const ANTHROPIC_FIXTURES = new URL('../../../adapters/anthropic/test/fixtures/', import.meta.url)

export const openaiText = (): ReplayResponse => ({
  body: JSON.parse(readFileSync(new URL('openai-text.json', OPENAI_FIXTURES), 'utf8')),
})
export const openaiToolCall = (): ReplayResponse => ({
  body: JSON.parse(readFileSync(new URL('openai-tool-call.json', OPENAI_FIXTURES), 'utf8')),
})
export const openaiStreamChunks = (): string[] =>
  splitServerSentEvents(readFileSync(new URL('openai-stream-text.sse', OPENAI_FIXTURES), 'utf8'))
export const anthropicText = (): ReplayResponse => ({
  body: JSON.parse(readFileSync(new URL('anthropic-text.json', ANTHROPIC_FIXTURES), 'utf8')),
})

/** An OpenAI error answer, shaped as the API sends it. */
export function openaiError(
  status: number,
  message: string,
  type: string,
  headers: Record<string, string> = {},
): ReplayResponse {
  return { status, headers, body: { error: { message, type, param: null, code: null } } }
}

export const OPENAI_PLATFORM_KEY = 'sk-platform-fault-test'
export const ANTHROPIC_PLATFORM_KEY = 'sk-ant-platform-fault-test'
export const OPENAI_MODEL = 'gpt-4o-mini'
export const ANTHROPIC_MODEL = 'claude-sonnet-4-6'

/** Routes by provider, like the host's resolver. */
function byProvider(resolvers: Record<string, ChatModelResolver>): ChatModelResolver {
  return {
    resolve: (request, options) => {
      const resolver = resolvers[request.provider]
      if (!resolver) return Promise.reject(new CoreErrorClass('INVALID_INPUT', `No ${request.provider}.`))
      return resolver.resolve(request, options)
    },
  }
}

export interface TurnRun {
  readonly events: readonly TurnEvent[]
  readonly result: TurnResult | null
  readonly error: CoreError | null
}

/** The runtime on memory stores with OpenAI and Anthropic talking to two replay servers. */
export interface FaultWorld {
  readonly agentry: Agentry
  readonly openai: ReplayServer
  readonly anthropic: ReplayServer
  /** Answers from the servers with status 200, in order (what must be billed). */
  readonly answered: RecordedRequest[]
  company(name?: string): Promise<{ readonly context: RequestContext; readonly companyId: CompanyId }>
  agent(context: RequestContext, model: AgentConfigInput['model']): Promise<AgentId>
  run(context: RequestContext, request: Omit<TurnRequest, 'context'>): Promise<TurnRun>
  llmUsage(companyId: CompanyId): Promise<UsageEvent[]>
  close(): Promise<void>
}

export async function startFaultWorld(resilience: ResilienceOptionsInput = {}): Promise<FaultWorld> {
  const openai = await startReplayServer()
  const anthropic = await startReplayServer()
  const stores = createMemoryStores()
  const tokenizer = createTokenizer()
  const agentry = createAgentry({
    stores,
    models: byProvider({
      openai: createOpenAI({ apiKey: OPENAI_PLATFORM_KEY, baseURL: `${openai.url}/v1` }),
      anthropic: createAnthropic({ apiKey: ANTHROPIC_PLATFORM_KEY, baseURL: anthropic.url }),
    }),
    lock: new MemoryLock(),
    tokenizer,
    resilience: { retry: { baseDelayMs: 5, maxDelayMs: 10_000 }, ...resilience },
  })
  const answered: RecordedRequest[] = []
  return {
    agentry,
    openai,
    anthropic,
    answered,
    async company(name = 'Acme') {
      const created = await agentry.companies.create({ actor: { type: 'platform-admin' } }, { name })
      const actor = await agentry.apiKeys.authenticate(created.adminKey.key)
      return { context: { actor, requestId: 'faults' }, companyId: created.company.id }
    },
    async agent(context, model) {
      const { agent } = await agentry.agents.create(context, { name: 'Faulty', config: { model } })
      return agent.id
    },
    async run(context, request) {
      const events: TurnEvent[] = []
      for await (const event of agentry.orchestrator.run({ context, ...request })) events.push(event)
      const last = events.at(-1)
      return {
        events,
        result: last?.type === 'turn-end' ? last.result : null,
        error: last?.type === 'error' ? last.error : null,
      }
    },
    async llmUsage(companyId) {
      const page = await stores.usage.list(tenantScope(companyId), {}, { limit: 200 })
      return page.items.filter((event) => event.kind === 'llm.tokens')
    },
    close: async () => {
      await Promise.all([openai.close(), anthropic.close()])
    },
  }
}

/** Answers with `response` and notes it in `answered` when it is a success. */
export function counted(world: FaultWorld, response: ReplayResponse) {
  return (request: RecordedRequest): ReplayResponse => {
    if ((response.status ?? 200) === 200 && !response.fault) world.answered.push(request)
    return response
  }
}
