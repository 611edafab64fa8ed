import type {
  BuiltinTool,
  CallOptions,
  ChatModel,
  ChatRequest,
  ChatResponse,
  ChatStreamPart,
  SessionId,
  TurnResult,
} from '@agentry/contracts'
import {
  type Agentry,
  collectTurn,
  createAgentry,
  type RequestContext,
  StaticModelResolver,
} from '@agentry/core'
import { createScriptedChatModel, createTokenizer } from '@agentry/local'
import { MemoryLock } from '@agentry/memory'
import type { PostgresDatabase } from '../src/index.js'

/** Counts statements sent to the database: pass `counter.onQuery` as the factory's `onQuery`. */
export class QueryCounter {
  count = 0
  readonly onQuery = (): void => {
    this.count += 1
  }
}

/** Adds up the time spent inside the model, so a turn's overhead is its time minus this. */
export class TimedChatModel implements ChatModel {
  readonly provider: string
  readonly modelId: string
  spentMs = 0
  readonly #inner: ChatModel

  constructor(inner: ChatModel) {
    this.#inner = inner
    this.provider = inner.provider
    this.modelId = inner.modelId
  }

  async generate(request: ChatRequest, options?: CallOptions): Promise<ChatResponse> {
    const started = performance.now()
    try {
      return await this.#inner.generate(request, options)
    } finally {
      this.spentMs += performance.now() - started
    }
  }

  stream(request: ChatRequest, options?: CallOptions): AsyncIterable<ChatStreamPart> {
    return this.#inner.stream(request, options)
  }
}

function benchTools(): BuiltinTool[] {
  return Array.from({ length: 10 }, (_, index) => ({
    name: `bench.tool_${index}`,
    description: `Benchmark tool number ${index}: looks something up by id.`,
    inputSchema: {
      type: 'object',
      properties: { id: { type: 'string' }, limit: { type: 'integer', minimum: 1 } },
      required: ['id'],
    },
    execute: async () => null,
  }))
}

export interface TurnWorld {
  readonly agentry: Agentry
  readonly model: TimedChatModel
  /** One plain turn (no tool call) in `sessionId`, or in a new session. */
  send(sessionId: SessionId | undefined, turn: number): Promise<TurnResult>
}

/**
 * The core benchmark's shape on these stores: a company, an agent with a system prompt, rules,
 * `memory.maxMessages: 20` and 10 tools offered, a zero-latency scripted model and an in-process lock.
 */
export async function createTurnWorld(database: PostgresDatabase): Promise<TurnWorld> {
  const tokenizer = createTokenizer()
  const model = new TimedChatModel(createScriptedChatModel({}, { tokenizer }))
  const tools = benchTools()
  const agentry = createAgentry({
    stores: database.stores,
    models: new StaticModelResolver([model]),
    lock: new MemoryLock(),
    tokenizer,
    tools,
  })
  const created = await agentry.companies.create({ actor: { type: 'platform-admin' } }, { name: 'Bench' })
  const context: RequestContext = { actor: await agentry.apiKeys.authenticate(created.adminKey.key) }
  const { agent } = await agentry.agents.create(context, {
    name: 'Bench agent',
    config: {
      systemPrompt: 'You are a support agent for an online shop. Answer briefly and politely.',
      rules: ['Never promise refunds.', 'Ask for the order number when it is missing.'],
      memory: { maxMessages: 20 },
      tools: { allow: tools.map((tool) => tool.name) },
      providerOptions: {
        local: {
          rules: [{ when: { always: true }, reply: 'Thanks, I am looking into your order {{input}} now.' }],
        },
      },
    },
  })
  return {
    agentry,
    model,
    send: (sessionId, turn) =>
      collectTurn(
        agentry.orchestrator.run({
          context,
          agentId: agent.id,
          message: `Where is my order number ${turn}? It has not arrived yet.`,
          ...(sessionId ? { sessionId } : {}),
        }),
      ),
  }
}
