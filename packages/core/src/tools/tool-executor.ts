import type {
  Clock,
  IdGenerator,
  JsonSchema,
  JsonValue,
  Logger,
  Metrics,
  Telemetry,
  TenantScope,
  ToolCallId,
  ToolCallRequest,
  ToolCallStore,
  ToolContext,
  Tracer,
} from '@agentry/contracts'
import { CoreError, noopTelemetry } from '@agentry/contracts'
import type { JsonSchemaValidator } from '../json-schema/json-schema-validator.js'
import { cancelledError, linkedAbort } from '../orchestrator/abort.js'
import { CORE_METRIC, CORE_SPAN } from '../telemetry/core-metrics.js'
import { failure, type ToolCallOutcome } from './tool-call-outcome.js'
import type { ResolvedTool } from './tool-registry.js'

export type { ToolCallOutcome } from './tool-call-outcome.js'
export { toolResultText } from './tool-call-outcome.js'

export const DEFAULT_TOOL_TIMEOUT_MS = 30_000

export interface ToolBatch {
  readonly scope: TenantScope
  readonly context: ToolContext
  readonly calls: readonly ToolCallRequest[]
  /** The agent's allowlist: nothing else runs, whatever the model or the user asks. */
  readonly allowed: ReadonlySet<string>
  readonly tools: ReadonlyMap<string, ResolvedTool>
  readonly maxParallel: number
  readonly signal?: AbortSignal
  /** Called as each call settles, in completion order. */
  readonly onSettled?: (outcome: ToolCallOutcome) => void
}

/**
 * Runs a model reply's tool calls: allowlist, argument validation (ajv), the tool's policies (rate
 * limit, budgets), timeout, output schema, error capture, one audit row and one log line per call
 * (arguments and results redacted), a span (`agentry.tool.call`) and the call's count and latency by
 * tool and status. A failing tool becomes an error result for the model, never a
 * failed turn; only the turn's own cancellation propagates (`CANCELLED`).
 */
export class ToolExecutor {
  readonly #schemas: JsonSchemaValidator
  readonly #audit: ToolCallStore
  readonly #clock: Clock
  readonly #ids: IdGenerator
  readonly #defaultTimeoutMs: number
  readonly #logger: Logger
  readonly #metrics: Metrics
  readonly #tracer: Tracer

  constructor(
    schemas: JsonSchemaValidator,
    audit: ToolCallStore,
    clock: Clock,
    ids: IdGenerator,
    defaultTimeoutMs = DEFAULT_TOOL_TIMEOUT_MS,
    telemetry: Telemetry = noopTelemetry,
  ) {
    this.#schemas = schemas
    this.#audit = audit
    this.#clock = clock
    this.#ids = ids
    this.#defaultTimeoutMs = defaultTimeoutMs
    this.#logger = telemetry.logger
    this.#metrics = telemetry.metrics
    this.#tracer = telemetry.tracer
  }

  /** Outcomes in the order the model asked, running at most `maxParallel` at a time. */
  async run(batch: ToolBatch): Promise<ToolCallOutcome[]> {
    const outcomes: ToolCallOutcome[] = new Array(batch.calls.length)
    let next = 0
    const worker = async () => {
      while (next < batch.calls.length) {
        const index = next
        next += 1
        const outcome = await this.#runOne(batch, batch.calls[index]!)
        outcomes[index] = outcome
        batch.onSettled?.(outcome)
      }
    }
    const workers = Math.max(1, Math.min(batch.maxParallel, batch.calls.length))
    await Promise.all(Array.from({ length: workers }, worker))
    return outcomes
  }

  /** Records calls that are not run because a limit was reached: status `skipped`, audited. */
  async skip(batch: ToolBatch, reason: string): Promise<ToolCallOutcome[]> {
    const outcomes: ToolCallOutcome[] = []
    for (const call of batch.calls) {
      const outcome = failure(
        call,
        'skipped',
        batch.tools.get(call.name)?.toolId ?? null,
        call.argumentsJson,
        'QUOTA_EXCEEDED',
        reason,
        performance.now(),
      )
      await this.#writeAudit(batch, outcome, undefined)
      outcomes.push(outcome)
    }
    return outcomes
  }

  #runOne(batch: ToolBatch, call: ToolCallRequest): Promise<ToolCallOutcome> {
    return this.#tracer.span(CORE_SPAN.toolCall, { 'agentry.tool': call.name }, async (span) => {
      const started = performance.now()
      const tool = batch.allowed.has(call.name) ? batch.tools.get(call.name) : undefined
      let outcome: ToolCallOutcome
      if (!tool) {
        const reason = batch.allowed.has(call.name) ? 'does not exist' : "is not on this agent's allowlist"
        outcome = failure(
          call,
          'denied',
          null,
          call.argumentsJson,
          'FORBIDDEN',
          `Tool "${call.name}" ${reason}: it was not run. Use only the tools offered.`,
          started,
        )
      } else {
        outcome = await this.#validateAndExecute(batch, call, tool, started)
      }
      span.setAttribute('agentry.tool.status', outcome.status)
      if (outcome.error) span.setAttribute('error.type', outcome.error.code)
      const labels = { tool: call.name, status: outcome.status }
      this.#metrics.increment(CORE_METRIC.toolCalls, labels)
      this.#metrics.observe(CORE_METRIC.toolCallDuration, labels, outcome.durationMs / 1000)
      await this.#writeAudit(batch, outcome, tool)
      this.#log(batch, outcome, tool)
      return outcome
    })
  }

  /** One line per call; arguments go through the tool's redaction, results are not logged. */
  #log(batch: ToolBatch, outcome: ToolCallOutcome, tool: ResolvedTool | undefined): void {
    const redact = tool?.redact ? tool.redact.bind(tool) : (value: unknown) => value
    const fields = {
      tool: outcome.call.name,
      status: outcome.status,
      latencyMs: Math.round(outcome.durationMs),
      companyId: batch.scope.companyId,
      agentId: batch.context.agentId,
      sessionId: batch.context.sessionId,
      turnId: batch.context.turnId,
      arguments: redact(outcome.arguments),
      ...(outcome.error ? { errorCode: outcome.error.code, errorMessage: outcome.error.message } : {}),
    }
    if (outcome.status === 'ok') this.#logger.info('tool call', fields)
    else this.#logger.warn('tool call failed', fields)
  }

  async #writeAudit(
    batch: ToolBatch,
    outcome: ToolCallOutcome,
    tool: ResolvedTool | undefined,
  ): Promise<void> {
    const { call } = outcome
    const redact = tool?.redact ? tool.redact.bind(tool) : (value: unknown) => value
    await this.#audit.append(batch.scope, {
      id: this.#ids.next() as ToolCallId,
      companyId: batch.scope.companyId,
      agentId: batch.context.agentId,
      sessionId: batch.context.sessionId,
      turnId: batch.context.turnId,
      toolName: call.name,
      toolId: outcome.toolId,
      arguments: redact(outcome.arguments),
      result: redact(outcome.output),
      status: outcome.status,
      errorCode: outcome.error?.code ?? null,
      errorMessage: outcome.error?.message ?? null,
      latencyMs: Math.round(outcome.durationMs),
      createdAt: this.#clock.now(),
    })
  }

  async #validateAndExecute(
    batch: ToolBatch,
    call: ToolCallRequest,
    tool: ResolvedTool,
    started: number,
  ): Promise<ToolCallOutcome> {
    let input: JsonValue
    try {
      input = call.argumentsJson.trim() === '' ? {} : (JSON.parse(call.argumentsJson) as JsonValue)
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'not JSON'
      return failure(
        call,
        'invalid-arguments',
        tool.toolId,
        call.argumentsJson,
        'INVALID_INPUT',
        `Arguments for "${call.name}" are not valid JSON (${reason}): send a JSON object.`,
        started,
      )
    }
    const check = this.#schemas.check(tool.inputSchema as JsonSchema, input)
    if (!check.valid) {
      return failure(
        call,
        'invalid-arguments',
        tool.toolId,
        input,
        'INVALID_INPUT',
        `Arguments for "${call.name}" do not match its schema: ${check.errors.join('; ')}`,
        started,
      )
    }
    const refusal = await this.#admit(batch, call, tool, input, started)
    if (refusal) return refusal
    const timeoutMs = tool.timeoutMs ?? this.#defaultTimeoutMs
    const abort = linkedAbort(batch.signal, timeoutMs)
    try {
      const result = await abort.race(tool.execute(input, batch.context, { signal: abort.signal }))
      const mismatch = tool.outputSchema ? this.#schemas.check(tool.outputSchema, result.output) : null
      if (mismatch && !mismatch.valid) {
        return {
          ...failure(
            call,
            'error',
            tool.toolId,
            input,
            'UPSTREAM_ERROR',
            `Tool "${call.name}" returned a result that does not match its output schema: ${mismatch.errors.join('; ')}`,
            started,
          ),
          executed: true,
        }
      }
      return {
        call,
        status: 'ok',
        durationMs: performance.now() - started,
        toolId: tool.toolId,
        arguments: input,
        output: result.output,
        error: null,
        executed: true,
      }
    } catch (error) {
      if (batch.signal?.aborted) throw cancelledError(batch.signal)
      if (abort.isTimedOut() || CoreError.hasCode(error, 'TIMEOUT')) {
        return {
          ...failure(
            call,
            'timeout',
            tool.toolId,
            input,
            'TIMEOUT',
            `Tool "${call.name}" did not finish within ${timeoutMs} ms.`,
            started,
          ),
          executed: true,
        }
      }
      const code = CoreError.isInstance(error) ? error.code : 'INTERNAL'
      const message = error instanceof Error ? error.message : String(error)
      return {
        ...failure(
          call,
          'error',
          tool.toolId,
          input,
          code,
          `Tool "${call.name}" failed: ${message}`,
          started,
        ),
        executed: true,
      }
    } finally {
      abort.dispose()
    }
  }

  /** Null when the tool may run; else the `denied` (or, if a policy check fails, `error`) outcome. */
  async #admit(
    batch: ToolBatch,
    call: ToolCallRequest,
    tool: ResolvedTool,
    input: JsonValue,
    started: number,
  ): Promise<ToolCallOutcome | null> {
    if (!tool.admit) return null
    try {
      const admission = await tool.admit(batch.context, batch.signal ? { signal: batch.signal } : undefined)
      if (admission.allowed) return null
      return failure(call, 'denied', tool.toolId, input, admission.code, admission.message, started)
    } catch (error) {
      if (batch.signal?.aborted) throw cancelledError(batch.signal)
      const code = CoreError.isInstance(error) ? error.code : 'INTERNAL'
      const message = error instanceof Error ? error.message : String(error)
      return failure(
        call,
        'error',
        tool.toolId,
        input,
        code,
        `Tool "${call.name}" was not run: ${message}`,
        started,
      )
    }
  }
}
