import type {
  AgentId,
  AgentVersion,
  ChatModelResolver,
  ChatRequest,
  Clock,
  IdGenerator,
  JsonSchema,
  KnowledgeBaseId,
  Lock,
  Session,
  SessionId,
  Stores,
  Telemetry,
  TenantScope,
  Tokenizer,
  Turn,
  TurnContext,
  TurnEvent,
  TurnId,
  TurnResult,
} from '@agentry/contracts'
import { CoreError, createUuidV7Generator, noopTelemetry, systemClock } from '@agentry/contracts'
import { JsonSchemaValidator } from '../json-schema/json-schema-validator.js'
import type { RequestContext } from '../request-context.js'
import { requirePermission, scopeOf } from '../tenancy/permissions.js'
import { DEFAULT_TOOL_TIMEOUT_MS, ToolExecutor } from '../tools/tool-executor.js'
import { ToolRegistry } from '../tools/tool-registry.js'
import { toCoreError } from './abort.js'
import { toChatMessages, windowHistory } from './history-window.js'
import { DirectModelCaller, type ModelCaller } from './model-caller.js'
import type { RetrievedPassage, Retriever } from './retriever.js'
import { buildSystemPrompt } from './system-prompt.js'
import { commitFailedTurn, commitTurn } from './turn-commit.js'
import { replayEvents } from './turn-events.js'
import { TurnLocks } from './turn-locks.js'
import { runTurnLoop, toolSpecs } from './turn-loop.js'
import { TurnRecorder } from './turn-recorder.js'

export interface TurnRequest {
  readonly context: RequestContext
  readonly agentId: AgentId
  /** Continue this session; absent to start a new one. */
  readonly sessionId?: SessionId
  readonly message: string
  /** Same key (per company), same result: a retry replays the stored turn without a model call. */
  readonly idempotencyKey?: string
  /** Stream the model's reply (live `text-delta` events); else one call and one text event. */
  readonly stream?: boolean
  /** For a new session: `api`, `web`, `slack`, ... (`api` when absent). */
  readonly channel?: string
  readonly externalUserId?: string
  /** The caller's cancellation: reaches the model call and tools; the turn ends with `CANCELLED`. */
  readonly signal?: AbortSignal
}

export interface OrchestratorOptions {
  /** Lock lease; extended before every further model call. Default 120 s. */
  readonly lockTtlMs?: number
  /** How long a turn waits for the session (or idempotency key) to be free. Default 30 s. */
  readonly lockWaitMs?: number
  /** For tools without their own timeout. Default 30 s. */
  readonly defaultToolTimeoutMs?: number
}

export interface OrchestratorDependencies {
  readonly stores: Pick<Stores, 'turns' | 'usage' | 'toolCalls'>
  readonly models: ChatModelResolver
  readonly lock: Lock
  readonly tokenizer: Tokenizer
  readonly tools?: ToolRegistry
  readonly schemas?: JsonSchemaValidator
  readonly retriever?: Retriever
  readonly modelCaller?: ModelCaller
  readonly clock?: Clock
  readonly ids?: IdGenerator
  readonly telemetry?: Telemetry
  readonly options?: OrchestratorOptions
}

const MAX_MESSAGE_CHARS = 200_000
const MAX_IDEMPOTENCY_KEY_LENGTH = 255

interface PreparedTurn {
  readonly scope: TenantScope
  readonly context: TurnContext & { readonly version: AgentVersion }
  readonly turnId: TurnId
  readonly sessionId: SessionId
  readonly startedAt: Date
}

/**
 * Runs turns (ARCHITECTURE section 4). `run` yields `TurnEvent`s; `collectTurn` turns them into a
 * result. A plain turn touches the stores exactly twice: `turns.load` and `turns.commit`.
 */
export class Orchestrator {
  readonly #dependencies: OrchestratorDependencies
  readonly #tools: ToolRegistry
  readonly #schemas: JsonSchemaValidator
  readonly #modelCaller: ModelCaller
  readonly #executor: ToolExecutor
  readonly #clock: Clock
  readonly #ids: IdGenerator
  readonly #telemetry: Telemetry

  constructor(dependencies: OrchestratorDependencies) {
    this.#dependencies = dependencies
    this.#tools = dependencies.tools ?? new ToolRegistry()
    this.#schemas = dependencies.schemas ?? new JsonSchemaValidator()
    this.#modelCaller = dependencies.modelCaller ?? new DirectModelCaller()
    this.#clock = dependencies.clock ?? systemClock
    this.#ids = dependencies.ids ?? createUuidV7Generator(this.#clock)
    this.#telemetry = dependencies.telemetry ?? noopTelemetry
    const toolTimeout = dependencies.options?.defaultToolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS
    this.#executor = new ToolExecutor(
      this.#schemas,
      dependencies.stores.toolCalls,
      this.#clock,
      this.#ids,
      toolTimeout,
    )
  }

  /**
   * The turn's events. An `error` before `turn-start` means the request was refused and nothing
   * was stored; after it, the failed turn is stored (user message, usage so far) and `error` ends
   * the stream. Stopping iteration early cancels the turn the same way.
   */
  async *run(request: TurnRequest): AsyncGenerator<TurnEvent, void, undefined> {
    let locks: TurnLocks | null = null
    try {
      let prepared: PreparedTurn | Turn
      try {
        const scope = this.#authorize(request)
        const options = this.#dependencies.options
        locks = await TurnLocks.acquire(this.#dependencies.lock, scope, request, {
          ttlMs: options?.lockTtlMs ?? 120_000,
          waitMs: options?.lockWaitMs ?? 30_000,
          ...(request.signal ? { signal: request.signal } : {}),
        })
        const loaded = await this.#dependencies.stores.turns.load(
          scope,
          {
            agentId: request.agentId,
            ...(request.sessionId === undefined ? {} : { sessionId: request.sessionId }),
            ...(request.idempotencyKey === undefined ? {} : { idempotencyKey: request.idempotencyKey }),
          },
          request.signal ? { signal: request.signal } : undefined,
        )
        prepared = this.#prepare(request, scope, loaded)
      } catch (error) {
        yield { type: 'error', error: toCoreError(error) }
        return
      }
      if ('result' in prepared) {
        yield* replayEvents(prepared as Turn & { readonly result: TurnResult })
        return
      }
      yield* this.#execute(request, prepared, locks)
    } finally {
      await locks?.release()
    }
  }

  #authorize(request: TurnRequest): TenantScope {
    requirePermission(request.context.actor, 'chat:send')
    const scope = scopeOf(request.context)
    const issues: { path: string; message: string }[] = []
    if (typeof request.message !== 'string' || request.message.trim() === '') {
      issues.push({ path: 'message', message: 'must not be empty' })
    } else if (request.message.length > MAX_MESSAGE_CHARS) {
      issues.push({ path: 'message', message: `must be at most ${MAX_MESSAGE_CHARS} characters` })
    }
    const key = request.idempotencyKey
    if (key !== undefined && (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH)) {
      issues.push({
        path: 'idempotencyKey',
        message: `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
      })
    }
    if (issues.length > 0) {
      throw new CoreError(
        'INVALID_INPUT',
        `Chat request is invalid: ${issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')}`,
        { details: { issues } },
      )
    }
    return scope
  }

  #prepare(request: TurnRequest, scope: TenantScope, loaded: TurnContext): PreparedTurn | Turn {
    const existing = loaded.existingTurn
    if (existing) {
      if (
        existing.agentId !== request.agentId ||
        (request.sessionId !== undefined && existing.sessionId !== request.sessionId)
      ) {
        throw new CoreError(
          'CONFLICT',
          'This idempotency key was already used for a turn of another agent or session: use a new key for a new request.',
        )
      }
      if (existing.result) return existing
    }
    const { agent, version } = loaded
    if (!agent) throw new CoreError('NOT_FOUND', `Agent ${request.agentId} not found in this company.`)
    if (agent.status === 'disabled') {
      throw new CoreError('CONFLICT', `Agent ${agent.id} is disabled: enable it before sending messages.`)
    }
    if (!version)
      throw new CoreError('INTERNAL', `Agent ${agent.id} has no current version ${agent.currentVersion}.`)
    if (request.sessionId !== undefined && !loaded.session) {
      throw new CoreError(
        'NOT_FOUND',
        `Session ${request.sessionId} not found for agent ${agent.id}: omit sessionId to start a new session.`,
      )
    }
    const limit = version.config.guardrails.maxInputChars
    if (request.message.length > limit) {
      throw new CoreError(
        'INVALID_INPUT',
        `The message has ${request.message.length} characters; this agent accepts at most ${limit} (guardrails.maxInputChars).`,
        {
          details: { issues: [{ path: 'message', message: `must be at most ${limit} characters` }] },
        },
      )
    }
    return {
      scope,
      context: { ...loaded, version },
      turnId: this.#ids.next() as TurnId,
      sessionId: loaded.session?.id ?? (this.#ids.next() as SessionId),
      startedAt: this.#clock.now(),
    }
  }

  async *#execute(
    request: TurnRequest,
    prepared: PreparedTurn,
    locks: TurnLocks,
  ): AsyncGenerator<TurnEvent, void, undefined> {
    const { scope, context } = prepared
    const actor = request.context.actor
    const recorder = new TurnRecorder(
      {
        scope,
        turnId: prepared.turnId,
        sessionId: prepared.sessionId,
        agentId: request.agentId,
        apiKeyId: actor.type === 'api-key' ? actor.apiKeyId : null,
      },
      { ids: this.#ids, clock: this.#clock, tokenizer: this.#dependencies.tokenizer },
    )
    const session: Session | null = context.session
    const commitBase = {
      stores: this.#dependencies.stores,
      clock: this.#clock,
      request,
      scope,
      session,
      agentVersion: context.version.version,
      startedAt: prepared.startedAt,
      recorder,
    }
    let isSettled = false
    try {
      recorder.addMessage({ role: 'user', content: request.message })
      yield {
        type: 'turn-start',
        turnId: prepared.turnId,
        sessionId: prepared.sessionId,
        agentId: request.agentId,
      }
      let result: TurnResult
      try {
        result = yield* runTurnLoop(
          {
            stores: this.#dependencies.stores,
            modelCaller: this.#modelCaller,
            executor: this.#executor,
            schemas: this.#schemas,
          },
          await this.#loopInput(request, prepared, recorder, locks),
        )
        await commitTurn(commitBase, result)
      } catch (error) {
        const failure = toCoreError(error)
        isSettled = true
        await this.#commitFailure(commitBase, failure)
        yield { type: 'error', error: failure }
        return
      }
      isSettled = true
      this.#telemetry.metrics.increment('agentry_turns_total', { outcome: result.outcome.type })
      yield { type: 'usage', usage: result.usage }
      yield { type: 'turn-end', result }
    } finally {
      if (!isSettled) {
        await this.#commitFailure(
          commitBase,
          new CoreError('CANCELLED', 'The caller stopped reading the turn before it ended.'),
        )
      }
    }
  }

  async #loopInput(request: TurnRequest, prepared: PreparedTurn, recorder: TurnRecorder, locks: TurnLocks) {
    const { scope, context } = prepared
    const { config } = context.version
    const signal = request.signal
    const callOptions = signal ? { signal } : undefined
    const tools =
      config.tools.allow.length > 0
        ? await this.#tools.resolve(scope, config.tools.allow, callOptions)
        : new Map()
    const specs = toolSpecs(config.tools.allow, tools)
    let passages: readonly RetrievedPassage[] = []
    const retriever = this.#dependencies.retriever
    if (retriever && config.knowledge.knowledgeBaseIds.length > 0) {
      const retrieval = await retriever.retrieve(
        {
          scope,
          agentId: request.agentId,
          sessionId: prepared.sessionId,
          turnId: prepared.turnId,
          knowledgeBaseIds: config.knowledge.knowledgeBaseIds as KnowledgeBaseId[],
          query: request.message,
          topK: config.knowledge.topK,
          minScore: config.knowledge.minScore,
          mode: config.knowledge.mode,
        },
        callOptions,
      )
      recorder.recordKnowledgeQuery(retrieval.embedding)
      passages = retrieval.passages
    }
    const system = buildSystemPrompt(config, { hasTools: specs.length > 0, passages })
    const history = windowHistory(context.history, config.memory.maxTokens)
    const chatRequest: ChatRequest = {
      ...(system === '' ? {} : { system }),
      messages: [...toChatMessages(history), { role: 'user', content: request.message }],
      ...(specs.length > 0 ? { tools: specs } : {}),
      ...(config.output.type === 'json'
        ? {
            responseFormat: {
              type: 'json',
              name: config.output.name,
              schema: config.output.schema as JsonSchema,
            },
          }
        : {}),
      maxOutputTokens: config.model.maxOutputTokens,
      ...(config.model.temperature === undefined ? {} : { temperature: config.model.temperature }),
      ...(passages.length > 0
        ? { context: passages.map(({ index, title, text }) => ({ index, title, text })) }
        : {}),
      providerOptions: config.providerOptions,
    }
    const model = await this.#dependencies.models.resolve(
      { companyId: scope.companyId, provider: config.model.provider, model: config.model.name },
      callOptions,
    )
    return {
      config,
      agentVersion: context.version.version,
      model,
      request: chatRequest,
      tools,
      passages,
      stream: request.stream ?? false,
      ...(signal ? { signal } : {}),
      recorder,
      locks,
    }
  }

  async #commitFailure(base: Parameters<typeof commitFailedTurn>[0], error: CoreError): Promise<void> {
    this.#telemetry.metrics.increment('agentry_turns_total', { outcome: 'failed', code: error.code })
    try {
      await commitFailedTurn(base, error)
    } catch (commitError) {
      this.#telemetry.logger.error('Storing a failed turn failed; its usage may be missing', {
        turnId: base.recorder.identity.turnId,
        code: error.code,
        commitError: commitError instanceof Error ? commitError.message : String(commitError),
      })
    }
  }
}
