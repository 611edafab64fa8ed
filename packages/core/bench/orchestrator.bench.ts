/**
 * The orchestrator's own cost per turn: a zero-latency scripted model, memory stores, 20 messages
 * of history and 10 tools offered. Overhead = turn time minus the time spent inside the model call
 * (measured by a wrapper around the model). Prints numbers only; `npm run bench` runs it.
 */
import type {
  BuiltinTool,
  CallOptions,
  ChatModel,
  ChatRequest,
  ChatResponse,
  ChatStreamPart,
  SessionId,
} from '@agentry/contracts'
import { createScriptedChatModel, createTokenizer } from '@agentry/local'
import { createMemoryStores, MemoryLock } from '@agentry/memory'
import { collectTurn, createAgentry, StaticModelResolver } from '../src/index.js'

const SESSIONS = 100
const WARMUP_TURNS = 500
const MEASURED_TURNS = 5000

/** Adds up the time spent inside `generate`. */
class TimedChatModel implements ChatModel {
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

function tools(): BuiltinTool[] {
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

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN
}

const format = (ms: number) => `${ms.toFixed(3)} ms`

async function main(): Promise<void> {
  const tokenizer = createTokenizer()
  const model = new TimedChatModel(createScriptedChatModel({}, { tokenizer }))
  const registry = tools()
  const agentry = createAgentry({
    stores: createMemoryStores(),
    models: new StaticModelResolver([model]),
    lock: new MemoryLock(),
    tokenizer,
    tools: registry,
  })
  const created = await agentry.companies.create({ actor: { type: 'platform-admin' } }, { name: 'Bench' })
  const context = { actor: await agentry.apiKeys.authenticate(created.adminKey.key) }
  const { agent } = await agentry.agents.create(context, {
    name: 'Bench agent',
    config: {
      systemPrompt: 'You are a support agent for an online shop. Answer briefly and politely.',
      rules: ['Never promise refunds.', 'Ask for the order number when it is missing.'],
      memory: { maxMessages: 20 },
      tools: { allow: registry.map((tool) => tool.name) },
      providerOptions: {
        local: {
          rules: [{ when: { always: true }, reply: 'Thanks, I am looking into your order {{input}} now.' }],
        },
      },
    },
  })
  const send = (sessionId: SessionId | undefined, turn: number) =>
    collectTurn(
      agentry.orchestrator.run({
        context,
        agentId: agent.id,
        message: `Where is my order number ${turn}? It has not arrived yet.`,
        ...(sessionId ? { sessionId } : {}),
      }),
    )
  // Sessions with 20 messages of history each; turns rotate over them so history stays ~20-100.
  const sessions: SessionId[] = []
  for (let index = 0; index < SESSIONS; index += 1) {
    let sessionId: SessionId | undefined
    for (let turn = 0; turn < 10; turn += 1) sessionId = (await send(sessionId, turn)).sessionId
    sessions.push(sessionId as SessionId)
  }
  for (let turn = 0; turn < WARMUP_TURNS; turn += 1) await send(sessions[turn % SESSIONS], turn)
  const turnTimes: number[] = []
  const overheads: number[] = []
  const modelTimes: number[] = []
  for (let turn = 0; turn < MEASURED_TURNS; turn += 1) {
    const before = model.spentMs
    const started = performance.now()
    await send(sessions[turn % SESSIONS], turn)
    const elapsed = performance.now() - started
    const inModel = model.spentMs - before
    turnTimes.push(elapsed)
    modelTimes.push(inModel)
    overheads.push(elapsed - inModel)
  }
  for (const list of [turnTimes, overheads, modelTimes]) list.sort((left, right) => left - right)
  console.log(
    `Orchestrator overhead per turn (${MEASURED_TURNS} plain turns, 20 history messages, 10 tools, memory stores, zero-latency scripted model)`,
  )
  console.log(
    `  overhead  p50 ${format(percentile(overheads, 0.5))}  p99 ${format(percentile(overheads, 0.99))}`,
  )
  console.log(
    `  turn      p50 ${format(percentile(turnTimes, 0.5))}  p99 ${format(percentile(turnTimes, 0.99))}`,
  )
  console.log(
    `  in model  p50 ${format(percentile(modelTimes, 0.5))}  p99 ${format(percentile(modelTimes, 0.99))}`,
  )
}

await main()
