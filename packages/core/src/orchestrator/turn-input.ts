import type { ChatModelResolver, ChatRequest, JsonSchema, KnowledgeBaseId } from '@agentry/contracts'
import type { ToolRegistry } from '../tools/tool-registry.js'
import { toChatMessages, windowHistory } from './history-window.js'
import type { RetrievedPassage, Retriever } from './retriever.js'
import { buildSystemPrompt } from './system-prompt.js'
import type { TurnLocks } from './turn-locks.js'
import { type TurnLoopInput, toolSpecs } from './turn-loop.js'
import type { TurnRecorder } from './turn-recorder.js'
import type { PreparedTurn, TurnRequest } from './turn-request.js'

export interface TurnInputDependencies {
  readonly tools: ToolRegistry
  readonly models: ChatModelResolver
  readonly retriever?: Retriever
}

/**
 * The first model request of a turn: the allowlisted tools that exist, retrieved knowledge (when the
 * agent has knowledge bases and a retriever is wired), the system text, the windowed history and
 * the new message; and the resolved model. No store call for a plain agent.
 */
export async function buildTurnInput(
  dependencies: TurnInputDependencies,
  request: TurnRequest,
  prepared: PreparedTurn,
  recorder: TurnRecorder,
  locks: TurnLocks,
): Promise<TurnLoopInput> {
  const { scope, context } = prepared
  const { config } = context.version
  const signal = request.signal
  const callOptions = signal ? { signal } : undefined
  const tools =
    config.tools.allow.length > 0
      ? await dependencies.tools.resolve(scope, config.tools.allow, callOptions)
      : new Map()
  const specs = toolSpecs(config.tools.allow, tools)
  let passages: readonly RetrievedPassage[] = []
  const retriever = dependencies.retriever
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
  const model = await dependencies.models.resolve(
    { companyId: scope.companyId, provider: config.model.provider, model: config.model.name },
    callOptions,
  )
  const fallbacks = config.model.fallbacks.map((fallback) => ({
    provider: fallback.provider,
    model: fallback.name,
  }))
  return {
    config,
    agentVersion: context.version.version,
    model,
    ...(fallbacks.length > 0
      ? {
          fallbacks: {
            models: fallbacks,
            resolve: (reference, options) =>
              dependencies.models.resolve({ companyId: scope.companyId, ...reference }, options),
          },
        }
      : {}),
    request: chatRequest,
    tools,
    passages,
    stream: request.stream ?? false,
    ...(signal ? { signal } : {}),
    recorder,
    locks,
  }
}
