import type {
  AgentConfig,
  ChatMessage,
  ChatModel,
  ChatRequest,
  ChatResponse,
  CoreError,
  JsonSchema,
  JsonValue,
  ModelReference,
  Stores,
  ToolSpec,
  TurnEvent,
  TurnOutcome,
  TurnResult,
} from '@agentry/contracts'
import type { JsonSchemaValidator } from '../json-schema/json-schema-validator.js'
import type { ToolCallOutcome, ToolExecutor } from '../tools/tool-executor.js'
import { toolResultText } from '../tools/tool-executor.js'
import type { ResolvedTool } from '../tools/tool-registry.js'
import type { FallbackChain, ModelCaller } from './model-caller.js'
import type { RetrievedPassage } from './retriever.js'
import { checkStructuredOutput, repairMessages } from './structured-output.js'
import { type TurnBudget, UNLIMITED_BUDGET } from './turn-budget.js'
import type { TurnLocks } from './turn-locks.js'
import type { TurnRecorder } from './turn-recorder.js'

/** Everything the loop needs, prepared by the orchestrator after the turn's one read. */
export interface TurnLoopInput {
  readonly config: AgentConfig
  readonly agentVersion: number
  readonly model: ChatModel
  /** The agent's `model.fallbacks`, resolved for the turn's company when a call needs them. */
  readonly fallbacks?: FallbackChain
  /** System text, windowed history and the new user message, ready for the first call. */
  readonly request: ChatRequest
  readonly tools: ReadonlyMap<string, ResolvedTool>
  readonly passages: readonly RetrievedPassage[]
  readonly stream: boolean
  readonly signal?: AbortSignal
  readonly recorder: TurnRecorder
  readonly locks: TurnLocks
  /** Asked before every model call (quotas); none when absent. */
  readonly budget?: TurnBudget
}

export interface TurnLoopDependencies {
  readonly stores: Pick<Stores, 'usage'>
  readonly modelCaller: ModelCaller
  readonly executor: ToolExecutor
  readonly schemas: JsonSchemaValidator
}

/**
 * Model call, tool round, model call, ... until a reply without tool calls or a limit; then the
 * structured-output check with one repair. Yields live events and returns the turn's result.
 * Usage of a call is appended at once when another call follows, so a later failure still bills it.
 */
export async function* runTurnLoop(
  dependencies: TurnLoopDependencies,
  input: TurnLoopInput,
): AsyncGenerator<TurnEvent, TurnResult> {
  const { config, recorder } = input
  const messages: ChatMessage[] = [...input.request.messages]
  const isJson = config.output.type === 'json'
  const forwardText = input.stream && !isJson
  const warnings: string[] = []
  let outcome: TurnOutcome = { type: 'replied' }
  let callsRequested = 0
  let loops = 0
  let final: ChatResponse
  for (;;) {
    if (loops > 0) await extendLock(input, warnings)
    const answered = yield* callModel(
      dependencies,
      input,
      { ...input.request, messages },
      forwardText,
      warnings,
    )
    final = answered.response
    loops += 1
    recorder.recordModelCall(answered.model, final)
    if (final.toolCalls.length === 0) break
    await flushUsage(dependencies, input)
    const calls = final.toolCalls
    recorder.addMessage({ role: 'assistant', content: final.content, toolCalls: calls })
    messages.push({ role: 'assistant', content: final.content, toolCalls: calls })
    const room = Math.max(0, config.tools.maxCallsPerTurn - callsRequested)
    callsRequested += calls.length
    const batch = {
      scope: recorder.identity.scope,
      context: {
        scope: recorder.identity.scope,
        agentId: recorder.identity.agentId,
        sessionId: recorder.identity.sessionId,
        turnId: recorder.identity.turnId,
      },
      allowed: new Set(config.tools.allow),
      tools: input.tools,
      maxParallel: config.tools.maxParallel,
      ...(input.signal ? { signal: input.signal } : {}),
    }
    const outcomes = [
      ...(room > 0 ? await dependencies.executor.run({ ...batch, calls: calls.slice(0, room) }) : []),
      ...(calls.length > room
        ? await dependencies.executor.skip(
            { ...batch, calls: calls.slice(room) },
            `Not run: the turn reached its limit of ${config.tools.maxCallsPerTurn} tool calls (tools.maxCallsPerTurn).`,
          )
        : []),
    ]
    for (const toolOutcome of outcomes) {
      yield toolResultEvent(toolOutcome)
      recorder.recordToolCall(toolOutcome)
      const content = toolResultText(toolOutcome)
      const { id, name } = toolOutcome.call
      recorder.addMessage({ role: 'tool', content, toolCallId: id, toolName: name })
      messages.push({
        role: 'tool',
        toolCallId: id,
        toolName: name,
        content,
        ...(toolOutcome.error ? { isError: true } : {}),
      })
    }
    await flushUsage(dependencies, input)
    if (calls.length > room) {
      outcome = { type: 'tool-limit-reached', limit: config.tools.maxCallsPerTurn }
      break
    }
    if (loops >= config.tools.maxLoops) {
      outcome = { type: 'loop-limit-reached', limit: config.tools.maxLoops }
      break
    }
  }
  let content = final.content
  if (final.finishReason === 'refusal') {
    outcome = { type: 'refused', reason: final.refusal ?? final.content }
    content = final.content || final.refusal || ''
  } else if (final.finishReason === 'length' && outcome.type === 'replied') {
    outcome = { type: 'truncated' }
  }
  let output: JsonValue | null = null
  if (config.output.type === 'json' && outcome.type === 'replied') {
    const schema = config.output.schema as JsonSchema
    let check = checkStructuredOutput(dependencies.schemas, schema, content)
    if (!check.valid) {
      await flushUsage(dependencies, input)
      const { tools: _tools, ...withoutTools } = input.request
      const repairRequest: ChatRequest = {
        ...withoutTools,
        toolChoice: 'none',
        messages: [...messages, ...repairMessages(content, check.errors)],
      }
      const repaired = yield* callModel(dependencies, input, repairRequest, false, warnings)
      recorder.recordModelCall(repaired.model, repaired.response)
      content = repaired.response.content
      check = checkStructuredOutput(dependencies.schemas, schema, content)
    }
    if (check.valid) output = check.value
    else outcome = { type: 'output-invalid', errors: check.errors }
  }
  if (!forwardText && content !== '') yield { type: 'text-delta', delta: content }
  const citations = input.passages
    .filter((passage) => content.includes(`[${passage.index}]`))
    .map((passage) => passage.citation)
  for (const citation of citations) yield { type: 'citation', citation }
  if (final.toolCalls.length === 0) {
    recorder.addMessage({ role: 'assistant', content, citations })
  }
  if (outcome.type === 'truncated') warnings.push('The reply was cut at model.maxOutputTokens.')
  const { identity } = recorder
  return {
    turnId: identity.turnId,
    sessionId: identity.sessionId,
    agentId: identity.agentId,
    agentVersion: input.agentVersion,
    outcome,
    message: { role: 'assistant', content },
    output,
    citations,
    toolCalls: [...recorder.toolCalls],
    usage: recorder.usage(),
    warnings,
  }
}

/**
 * One model call through the caller, its parts turned into events. Retries and fallbacks become
 * events and warnings (and extend the session lock: they can take long); the response is returned
 * with the model that actually gave it, which is the one its usage is billed to.
 */
async function* callModel(
  dependencies: TurnLoopDependencies,
  input: TurnLoopInput,
  request: ChatRequest,
  forwardText: boolean,
  warnings: string[],
): AsyncGenerator<TurnEvent, { readonly response: ChatResponse; readonly model: ModelReference }> {
  const { model: settings } = input.config
  const budget = input.budget ?? UNLIMITED_BUDGET
  const signalOptions = input.signal ? { signal: input.signal } : undefined
  for (const warning of await budget.beforeModelCall({ model: input.model, request }, signalOptions)) {
    warnings.push(warning.message)
    yield { type: 'quota-warning', warning }
  }
  const parts = dependencies.modelCaller.call({
    model: input.model,
    request,
    stream: input.stream,
    timeoutMs: settings.timeoutMs,
    maxRetries: settings.maxRetries,
    ...(input.fallbacks ? { fallbacks: input.fallbacks } : {}),
    ...(input.signal ? { signal: input.signal } : {}),
  })
  let answering: ModelReference = { provider: input.model.provider, model: input.model.modelId }
  const started = new Set<string>()
  for (;;) {
    const next = await parts.next()
    if (next.done) {
      for (const call of next.value.toolCalls) {
        if (!started.has(call.id)) yield { type: 'tool-call-start', id: call.id, name: call.name }
      }
      budget.afterModelCall(answering, next.value.usage)
      return { response: next.value, model: answering }
    }
    const part = next.value
    if (part.type === 'text-delta') {
      if (forwardText && part.delta !== '') yield { type: 'text-delta', delta: part.delta }
    } else if (part.type === 'tool-call-start') {
      started.add(part.id)
      yield { type: 'tool-call-start', id: part.id, name: part.name }
    } else if (part.type === 'model-retry') {
      const { provider, model, attempt, delayMs, error } = part
      warnings.push(
        `Model ${provider}/${model} failed with ${error.code} and was retried (retry ${attempt}, after ${delayMs} ms).`,
      )
      yield { type: 'model-retry', provider, model, attempt, delayMs, error: errorSummary(error) }
      await extendLock(input, warnings)
    } else {
      const { from, to, reason } = part
      warnings.push(
        `Model ${from.provider}/${from.model} failed with ${reason.code}; fell back to ${to.provider}/${to.model}.`,
      )
      answering = to
      yield { type: 'model-fallback', from, to, reason: errorSummary(reason) }
      await extendLock(input, warnings)
    }
  }
}

function errorSummary(error: CoreError): { readonly code: string; readonly message: string } {
  return { code: error.code, message: error.message }
}

async function extendLock(input: TurnLoopInput, warnings: string[]): Promise<void> {
  if (await input.locks.extend()) return
  const warning = 'The turn lock expired during the turn; another turn may have run at the same time.'
  if (!warnings.includes(warning)) warnings.push(warning)
}

/** Appends the usage recorded so far (model calls whose turn goes on, tool calls). */
async function flushUsage(dependencies: TurnLoopDependencies, input: TurnLoopInput): Promise<void> {
  const events = input.recorder.takePendingUsage()
  if (events.length === 0) return
  try {
    await dependencies.stores.usage.append(input.recorder.identity.scope, events)
  } catch (error) {
    input.recorder.returnPendingUsage(events)
    throw error
  }
}

function toolResultEvent(outcome: ToolCallOutcome): TurnEvent {
  return {
    type: 'tool-result',
    id: outcome.call.id,
    name: outcome.call.name,
    status: outcome.status,
    durationMs: Math.round(outcome.durationMs),
    ...(outcome.error ? { error: outcome.error } : {}),
  }
}

export function toolSpecs(allow: readonly string[], tools: ReadonlyMap<string, ResolvedTool>): ToolSpec[] {
  const specs: ToolSpec[] = []
  for (const name of allow) {
    const tool = tools.get(name)
    if (tool) specs.push({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema })
  }
  return specs
}
