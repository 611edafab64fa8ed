import type {
  ChatModelResolver,
  Clock,
  IdGenerator,
  Lock,
  Logger,
  Session,
  Span,
  Stores,
  Telemetry,
  Tokenizer,
  Turn,
  TurnEvent,
  TurnResult,
} from '@agentry/contracts'
import { CoreError, createUuidV7Generator, noopTelemetry, systemClock } from '@agentry/contracts'
import { JsonSchemaValidator } from '../json-schema/json-schema-validator.js'
import { CORE_METRIC, CORE_SPAN } from '../telemetry/core-metrics.js'
import { ObservedRetriever } from '../telemetry/observed-retriever.js'
import { tracedGenerator } from '../telemetry/traced-generator.js'
import { DEFAULT_TOOL_TIMEOUT_MS, ToolExecutor } from '../tools/tool-executor.js'
import { ToolRegistry } from '../tools/tool-registry.js'
import { toCoreError } from './abort.js'
import { DirectModelCaller, type ModelCaller } from './model-caller.js'
import type { Retriever } from './retriever.js'
import { type ModelCallBudget, type TurnBudget, UNLIMITED_BUDGET } from './turn-budget.js'
import { commitFailedTurn, commitTurn } from './turn-commit.js'
import { replayEvents } from './turn-events.js'
import { buildTurnInput } from './turn-input.js'
import { TurnLocks } from './turn-locks.js'
import { runTurnLoop } from './turn-loop.js'
import { TurnRecorder } from './turn-recorder.js'
import { authorizeTurn, type PreparedTurn, prepareTurn, type TurnRequest } from './turn-request.js'

export type { TurnRequest } from './turn-request.js'

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
  /** Quotas and budgets checked before the turn and before each model call (billing's `QuotaGuard`). */
  readonly budget?: ModelCallBudget
  readonly clock?: Clock
  readonly ids?: IdGenerator
  readonly telemetry?: Telemetry
  readonly options?: OrchestratorOptions
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
  readonly #retriever: Retriever | undefined

  constructor(dependencies: OrchestratorDependencies) {
    this.#dependencies = dependencies
    this.#tools = dependencies.tools ?? new ToolRegistry()
    this.#schemas = dependencies.schemas ?? new JsonSchemaValidator()
    this.#modelCaller = dependencies.modelCaller ?? new DirectModelCaller()
    this.#clock = dependencies.clock ?? systemClock
    this.#ids = dependencies.ids ?? createUuidV7Generator(this.#clock)
    this.#telemetry = dependencies.telemetry ?? noopTelemetry
    this.#retriever = dependencies.retriever
      ? new ObservedRetriever(dependencies.retriever, this.#telemetry)
      : undefined
    const toolTimeout = dependencies.options?.defaultToolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS
    this.#executor = new ToolExecutor(
      this.#schemas,
      dependencies.stores.toolCalls,
      this.#clock,
      this.#ids,
      toolTimeout,
      this.#telemetry,
    )
  }

  /**
   * The turn's events. An `error` before `turn-start` means the request was refused and nothing
   * was stored; after it, the failed turn is stored (user message, usage so far) and `error` ends
   * the stream. Stopping iteration early cancels the turn the same way. The whole turn runs in an
   * `agentry.turn` span, so its model calls, tool calls and retrieval are traced under it.
   */
  run(request: TurnRequest): AsyncGenerator<TurnEvent, void, undefined> {
    const actor = request.context.actor
    return tracedGenerator(
      this.#telemetry.tracer,
      CORE_SPAN.turn,
      {
        'agentry.agent_id': request.agentId,
        ...('companyId' in actor ? { 'agentry.company_id': actor.companyId } : {}),
        ...(request.sessionId ? { 'agentry.session_id': request.sessionId } : {}),
        ...(request.context.requestId ? { 'agentry.request_id': request.context.requestId } : {}),
      },
      (span) => this.#run(request, span),
    )
  }

  async *#run(request: TurnRequest, span: Span): AsyncGenerator<TurnEvent, void, undefined> {
    let locks: TurnLocks | null = null
    try {
      let prepared: PreparedTurn | Turn
      let budget: TurnBudget = UNLIMITED_BUDGET
      try {
        const scope = authorizeTurn(request)
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
        prepared = prepareTurn(request, scope, loaded, { ids: this.#ids, clock: this.#clock })
        if (!('result' in prepared)) budget = await this.#openBudget(request, prepared)
      } catch (error) {
        yield { type: 'error', error: toCoreError(error) }
        return
      }
      if ('result' in prepared) {
        span.setAttribute('agentry.turn_id', prepared.id)
        span.setAttribute('agentry.replayed', true)
        yield* replayEvents(prepared as Turn & { readonly result: TurnResult })
        return
      }
      span.setAttribute('agentry.turn_id', prepared.turnId)
      span.setAttribute('agentry.session_id', prepared.sessionId)
      yield* this.#execute(request, prepared, locks, budget, span)
    } finally {
      await locks?.release()
    }
  }

  async *#execute(
    request: TurnRequest,
    prepared: PreparedTurn,
    locks: TurnLocks,
    budget: TurnBudget,
    span: Span,
  ): AsyncGenerator<TurnEvent, void, undefined> {
    const { scope, context } = prepared
    const actor = request.context.actor
    const started = performance.now()
    const logger = this.#telemetry.logger.child({
      companyId: scope.companyId,
      agentId: request.agentId,
      sessionId: prepared.sessionId,
      turnId: prepared.turnId,
    })
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
          {
            ...(await buildTurnInput(
              {
                tools: this.#tools,
                models: this.#dependencies.models,
                ...(this.#retriever ? { retriever: this.#retriever } : {}),
              },
              request,
              prepared,
              recorder,
              locks,
            )),
            budget,
          },
        )
        await commitTurn(commitBase, result)
      } catch (error) {
        const failure = toCoreError(error)
        isSettled = true
        span.recordError(failure)
        await this.#commitFailure(commitBase, failure, { logger, started })
        yield { type: 'error', error: failure }
        return
      }
      isSettled = true
      this.#observe(result.outcome.type, started)
      span.setAttribute('agentry.outcome', result.outcome.type)
      logger.info('turn', {
        outcome: result.outcome.type,
        inputTokens: result.usage.inputTokens,
        outputTokens: result.usage.outputTokens,
        modelCalls: result.usage.modelCalls,
        durationMs: Math.round(performance.now() - started),
      })
      yield { type: 'usage', usage: result.usage }
      yield { type: 'turn-end', result }
    } finally {
      if (!isSettled) {
        await this.#commitFailure(
          commitBase,
          new CoreError('CANCELLED', 'The caller stopped reading the turn before it ended.'),
          { logger, started },
        )
      }
    }
  }

  /** Refuses (before `turn-start`, nothing stored) when a quota of the turn is already used up. */
  async #openBudget(request: TurnRequest, prepared: PreparedTurn): Promise<TurnBudget> {
    const guard = this.#dependencies.budget
    if (!guard) return UNLIMITED_BUDGET
    const actor = request.context.actor
    return guard.openTurn(
      {
        scope: prepared.scope,
        agentId: request.agentId,
        apiKeyId: actor.type === 'api-key' ? actor.apiKeyId : null,
        quotas: prepared.context.quotas,
      },
      request.signal ? { signal: request.signal } : undefined,
    )
  }

  #observe(outcome: string, started: number, code?: string): void {
    const { metrics } = this.#telemetry
    metrics.increment(CORE_METRIC.turns, code ? { outcome, code } : { outcome })
    metrics.observe(CORE_METRIC.turnDuration, { outcome }, (performance.now() - started) / 1000)
  }

  async #commitFailure(
    base: Parameters<typeof commitFailedTurn>[0],
    error: CoreError,
    observation: { readonly logger: Logger; readonly started: number },
  ): Promise<void> {
    const { logger, started } = observation
    this.#observe('failed', started, error.code)
    logger.warn('turn failed', {
      outcome: 'failed',
      code: error.code,
      durationMs: Math.round(performance.now() - started),
    })
    try {
      await commitFailedTurn(base, error)
    } catch (commitError) {
      logger.error('Storing a failed turn failed; its usage may be missing', {
        code: error.code,
        commitError: commitError instanceof Error ? commitError.message : String(commitError),
      })
    }
  }
}
