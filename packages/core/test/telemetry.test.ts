import { AsyncLocalStorage } from 'node:async_hooks'
import type {
  ChatModel,
  ChunkId,
  DocumentId,
  KnowledgeBaseId,
  MetricLabels,
  Span,
  Telemetry,
  Tracer,
} from '@agentry/contracts'
import { CoreError, noopTelemetry } from '@agentry/contracts'
import { afterEach, describe, expect, it } from 'vitest'
import {
  CORE_METRIC,
  CORE_METRICS,
  CORE_SPAN,
  type Retriever,
  StaticModelResolver,
  tracedGenerator,
} from '../src/index.js'
import { createTestTools, scripted } from '../src/testing/index.js'
import { capturingLogger, createToolWorld, type ToolWorld } from './tool-world.js'

interface RecordedSpan {
  readonly id: number
  readonly name: string
  readonly parent: number | null
  readonly attributes: Record<string, string | number | boolean>
  error: unknown
  isEnded: boolean
}

/** A Tracer that nests spans through AsyncLocalStorage (as the OpenTelemetry adapter does) and keeps them. */
class RecordingTracer implements Tracer {
  readonly spans: RecordedSpan[] = []
  readonly #current = new AsyncLocalStorage<RecordedSpan>()

  span<T>(
    name: string,
    attributes: Readonly<Record<string, string | number | boolean>>,
    fn: (span: Span) => Promise<T>,
  ): Promise<T> {
    const recorded: RecordedSpan = {
      id: this.spans.length + 1,
      name,
      parent: this.#current.getStore()?.id ?? null,
      attributes: { ...attributes },
      error: null,
      isEnded: false,
    }
    this.spans.push(recorded)
    const port: Span = {
      setAttribute: (key, value) => {
        recorded.attributes[key] = value
      },
      recordError: (error) => {
        recorded.error = error
      },
    }
    return this.#current.run(recorded, async () => {
      try {
        return await fn(port)
      } catch (error) {
        recorded.error = error
        throw error
      } finally {
        recorded.isEnded = true
      }
    })
  }

  named(name: string): RecordedSpan[] {
    return this.spans.filter((span) => span.name === name)
  }
}

class RecordingMetrics {
  readonly calls: { kind: string; name: string; labels: MetricLabels; value: number }[] = []
  increment(name: string, labels: MetricLabels = {}, value = 1) {
    this.calls.push({ kind: 'increment', name, labels, value })
  }
  observe(name: string, labels: MetricLabels, value: number) {
    this.calls.push({ kind: 'observe', name, labels, value })
  }
  gauge(name: string, labels: MetricLabels, value: number) {
    this.calls.push({ kind: 'gauge', name, labels, value })
  }
  sum(name: string, labels: Partial<Record<string, string>> = {}): number {
    return this.calls
      .filter((call) => call.name === name)
      .filter((call) => Object.entries(labels).every(([key, value]) => call.labels[key] === value))
      .reduce((total, call) => total + call.value, 0)
  }
}

function recordingTelemetry() {
  const tracer = new RecordingTracer()
  const metrics = new RecordingMetrics()
  const logger = capturingLogger()
  const telemetry: Telemetry = { logger, metrics, tracer }
  return { telemetry, tracer, metrics, logs: logger.lines }
}

const KB = '0190a0a0-0000-7000-8000-00000000b001' as KnowledgeBaseId
const handbook: Retriever = {
  async retrieve() {
    const text = 'Refunds take 14 days.'
    return {
      passages: [
        {
          index: 1,
          title: 'Handbook',
          text,
          citation: {
            index: 1,
            chunkId: '0190a0a0-0000-7000-8000-00000000c001' as ChunkId,
            documentId: '0190a0a0-0000-7000-8000-00000000d001' as DocumentId,
            knowledgeBaseId: KB,
            documentTitle: 'Handbook',
            page: null,
            startOffset: 0,
            endOffset: text.length,
            snippet: text,
            score: 1,
          },
        },
      ],
      embedding: null,
    }
  },
}

async function* counting(span: Span, log: string[], failAt?: number) {
  try {
    for (let index = 1; index <= 3; index++) {
      await new Promise((resolve) => setTimeout(resolve, 1))
      if (index === failAt) throw new CoreError('TIMEOUT', 'too slow')
      span.setAttribute('reached', index)
      yield index
    }
    return 'done'
  } finally {
    log.push('finally')
  }
}

describe('tracedGenerator', () => {
  it('passes values and the return value through, one step per pull, and ends the span', async () => {
    const tracer = new RecordingTracer()
    const log: string[] = []
    const iterator = tracedGenerator(tracer, 'work', {}, (span) => counting(span, log))
    expect(await iterator.next()).toEqual({ done: false, value: 1 })
    expect(tracer.spans[0]).toMatchObject({ attributes: { reached: 1 }, isEnded: false })
    expect(await iterator.next()).toEqual({ done: false, value: 2 })
    expect(await iterator.next()).toEqual({ done: false, value: 3 })
    expect(await iterator.next()).toEqual({ done: true, value: 'done' })
    expect(log).toEqual(['finally'])
    expect(tracer.spans[0]?.isEnded).toBe(true)
  })

  it("runs the body's finally and ends the span when the caller stops early", async () => {
    const tracer = new RecordingTracer()
    const log: string[] = []
    for await (const value of tracedGenerator(tracer, 'work', {}, (span) => counting(span, log))) {
      if (value === 2) break
    }
    expect(log).toEqual(['finally'])
    expect(tracer.spans[0]).toMatchObject({ isEnded: true, attributes: { reached: 2 } })
  })

  it("rethrows the body's error to the caller and records it on the span", async () => {
    const tracer = new RecordingTracer()
    const seen: number[] = []
    const run = async () => {
      for await (const value of tracedGenerator(tracer, 'work', {}, (span) => counting(span, [], 2)))
        seen.push(value)
    }
    await expect(run()).rejects.toMatchObject({ code: 'TIMEOUT' })
    expect(seen).toEqual([1])
    expect(tracer.spans[0]?.error).toMatchObject({ code: 'TIMEOUT' })
  })

  it('puts spans started by the body under its span, even though the caller pulls from outside', async () => {
    const tracer = new RecordingTracer()
    const iterator = tracedGenerator(tracer, 'outer', {}, async function* () {
      yield await tracer.span('inner-1', {}, async () => 1)
      yield await tracer.span('inner-2', {}, async () => 2)
    })
    await tracer.span('caller', {}, async () => {
      for await (const _ of iterator) {
        // pulled from the caller's span
      }
    })
    const [caller, outer] = [tracer.named('caller')[0]!, tracer.named('outer')[0]!]
    expect(outer.parent).toBe(caller.id)
    expect(tracer.named('inner-1')[0]?.parent).toBe(outer.id)
    expect(tracer.named('inner-2')[0]?.parent).toBe(outer.id)
  })
})

describe('the core reports turns, model calls, tool calls and retrieval', () => {
  let world: ToolWorld | undefined
  afterEach(() => world?.close())

  function setup() {
    const recording = recordingTelemetry()
    const { registry } = createTestTools()
    world = createToolWorld({ telemetry: recording.telemetry, tools: registry, retriever: handbook })
    return { world, ...recording }
  }

  it('traces a turn with a tool round trip: turn > retrieval, model calls and the tool call', async () => {
    const { world, tracer, metrics, logs } = setup()
    const { context, companyId } = await world.company()
    const agentId = await world.agent(context, {
      tools: { allow: ['math.add'] },
      knowledge: { knowledgeBaseIds: [KB] },
      providerOptions: scripted([
        {
          when: { contains: 'add' },
          toolCalls: [{ name: 'math.add', arguments: { a: 2, b: 3 } }],
          afterTools: 'The sum is {{tool.math.add}}.',
        },
      ]),
    })
    const result = await world.chat(context, agentId, 'Please add 2 and 3')
    expect(result.message.content).toBe('The sum is 5.')

    const [turn] = tracer.named(CORE_SPAN.turn)
    expect(turn).toMatchObject({
      parent: null,
      isEnded: true,
      attributes: {
        'agentry.agent_id': agentId,
        'agentry.company_id': companyId,
        'agentry.turn_id': result.turnId,
        'agentry.session_id': result.sessionId,
        'agentry.outcome': 'replied',
      },
    })
    const children = tracer.spans.filter((span) => span.parent === turn?.id).map((span) => span.name)
    expect(children).toEqual([
      CORE_SPAN.retrieval,
      CORE_SPAN.modelCall,
      CORE_SPAN.toolCall,
      CORE_SPAN.modelCall,
    ])
    expect(tracer.named(CORE_SPAN.modelCall)[0]?.attributes).toMatchObject({
      'gen_ai.system': 'local',
      'gen_ai.usage.input_tokens': expect.any(Number),
    })
    expect(tracer.named(CORE_SPAN.toolCall)[0]?.attributes).toMatchObject({
      'agentry.tool': 'math.add',
      'agentry.tool.status': 'ok',
    })
    expect(tracer.named(CORE_SPAN.retrieval)[0]?.attributes['agentry.retrieval.passages']).toBe(1)
    expect(tracer.spans.every((span) => span.isEnded)).toBe(true)

    expect(metrics.sum(CORE_METRIC.turns, { outcome: 'replied' })).toBe(1)
    expect(metrics.sum(CORE_METRIC.modelCalls, { provider: 'local', outcome: 'ok' })).toBe(2)
    const model = tracer.named(CORE_SPAN.modelCall)[0]?.attributes['gen_ai.request.model'] as string
    expect(metrics.sum(CORE_METRIC.modelTokens, { provider: 'local', model, direction: 'input' })).toBe(
      result.usage.inputTokens,
    )
    expect(metrics.sum(CORE_METRIC.modelTokens, { direction: 'output' })).toBe(result.usage.outputTokens)
    expect(metrics.sum(CORE_METRIC.toolCalls, { tool: 'math.add', status: 'ok' })).toBe(1)
    for (const name of [
      CORE_METRIC.turnDuration,
      CORE_METRIC.modelCallDuration,
      CORE_METRIC.toolCallDuration,
    ]) {
      expect(
        metrics.calls.some((call) => call.name === name && call.kind === 'observe'),
        name,
      ).toBe(true)
    }
    expect(metrics.calls.find((call) => call.name === CORE_METRIC.retrievalDuration)?.labels).toEqual({
      mode: 'hybrid',
      outcome: 'ok',
    })

    const ids = { companyId, agentId, sessionId: result.sessionId, turnId: result.turnId }
    expect(logs.find((line) => line.message === 'turn')?.fields).toMatchObject({ ...ids, outcome: 'replied' })
    expect(logs.find((line) => line.message === 'tool call')?.fields).toMatchObject({
      ...ids,
      tool: 'math.add',
    })
  })

  it('counts a failed model call with its code and the failed turn', async () => {
    const recording = recordingTelemetry()
    const { tracer, metrics, logs } = recording
    const refusing: ChatModel = {
      provider: 'test',
      modelId: 'refusing',
      generate: () => Promise.reject(new CoreError('UNAUTHENTICATED', 'bad key')),
      stream: () => ({
        [Symbol.asyncIterator]: () => ({
          next: () => Promise.reject(new CoreError('UNAUTHENTICATED', 'bad key')),
        }),
      }),
    }
    world = createToolWorld({ telemetry: recording.telemetry, models: new StaticModelResolver([refusing]) })
    const { context } = await world.company()
    const agentId = await world.agent(context, {
      model: { provider: 'test', name: 'refusing', maxRetries: 0 },
    })
    await expect(world.chat(context, agentId, 'hello')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
    expect(metrics.sum(CORE_METRIC.modelCalls, { outcome: 'UNAUTHENTICATED' })).toBe(1)
    expect(metrics.sum(CORE_METRIC.turns, { outcome: 'failed', code: 'UNAUTHENTICATED' })).toBe(1)
    expect(tracer.named(CORE_SPAN.turn)[0]?.error).toMatchObject({ code: 'UNAUTHENTICATED' })
    expect(tracer.named(CORE_SPAN.modelCall)[0]?.error).toMatchObject({ code: 'UNAUTHENTICATED' })
    expect(logs.find((line) => line.message === 'turn failed')?.fields).toMatchObject({
      code: 'UNAUTHENTICATED',
    })
  })

  it('declares every metric it emits, with the labels it uses', async () => {
    const { world, metrics } = setup()
    const { context } = await world.company()
    const agentId = await world.agent(context, {
      tools: { allow: ['math.add'] },
      knowledge: { knowledgeBaseIds: [KB] },
      providerOptions: scripted([
        {
          when: { contains: 'add' },
          toolCalls: [{ name: 'math.add', arguments: { a: 1, b: 1 } }],
          afterTools: 'ok',
        },
      ]),
    })
    await world.chat(context, agentId, 'add please')
    const declared = new Map(CORE_METRICS.map((definition) => [definition.name, definition]))
    for (const call of metrics.calls) {
      const definition = declared.get(call.name)
      expect(definition, call.name).toBeDefined()
      expect(definition?.type, call.name).toBe(call.kind === 'increment' ? 'counter' : 'histogram')
      for (const label of Object.keys(call.labels)) expect(definition?.labelNames, call.name).toContain(label)
    }
  })

  it('runs with no telemetry at all (the default)', async () => {
    world = createToolWorld({ telemetry: noopTelemetry })
    const { context } = await world.company()
    const agentId = await world.agent(context, {})
    await expect(world.chat(context, agentId, 'hello')).resolves.toMatchObject({
      outcome: { type: 'replied' },
    })
  })
})
