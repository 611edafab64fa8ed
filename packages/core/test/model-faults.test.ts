import type { TurnEvent } from '@agentry/contracts'
import { afterEach, describe, expect, it } from 'vitest'
import {
  ANTHROPIC_MODEL,
  anthropicText,
  counted,
  type FaultWorld,
  OPENAI_MODEL,
  OPENAI_PLATFORM_KEY,
  openaiError,
  openaiStreamChunks,
  openaiText,
  openaiToolCall,
  startFaultWorld,
} from './model-replay.js'

/**
 * Provider faults through a whole turn: the real OpenAI and Anthropic SDKs talk to local replay
 * servers, the default model caller of createAgentry retries, breaks and falls back.
 */
let world: FaultWorld | undefined

afterEach(async () => {
  await world?.close()
  world = undefined
})

const serverError = () =>
  openaiError(500, 'The server had an error while processing your request.', 'server_error')
const ofType = <T extends TurnEvent['type']>(events: readonly TurnEvent[], type: T) =>
  events.filter((event): event is Extract<TurnEvent, { type: T }> => event.type === type)

describe('model faults in a turn (replayed to the real SDKs)', () => {
  it('429 with retry-after: waits what the provider asked, calls twice, bills once', async () => {
    world = await startFaultWorld()
    const arrivals: number[] = []
    const stamp = (response: ReturnType<typeof openaiText>) => () => {
      arrivals.push(performance.now())
      return response
    }
    world.openai.enqueue(
      stamp(openaiError(429, 'Rate limit reached for requests', 'requests', { 'retry-after-ms': '60' })),
      stamp(openaiText()),
    )
    const { context, companyId } = await world.company()
    const agentId = await world.agent(context, { provider: 'openai', name: OPENAI_MODEL })

    const run = await world.run(context, { agentId, message: 'Weather in San Francisco?' })

    expect(run.result?.outcome).toEqual({ type: 'replied' })
    expect(ofType(run.events, 'model-retry')).toEqual([
      {
        type: 'model-retry',
        provider: 'openai',
        model: OPENAI_MODEL,
        attempt: 1,
        delayMs: 60,
        error: { code: 'RATE_LIMITED', message: expect.any(String) },
      },
    ])
    expect(world.openai.requests).toHaveLength(2)
    // The second request left no sooner than asked (1 ms of slack for libuv's millisecond timers).
    expect((arrivals[1] ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(59)
    expect(run.result?.warnings).toEqual([
      `Model openai/${OPENAI_MODEL} failed with RATE_LIMITED and was retried (retry 1, after 60 ms).`,
    ])
    const usage = await world.llmUsage(companyId)
    expect(usage).toHaveLength(1)
    expect(usage[0]).toMatchObject({
      provider: 'openai',
      model: OPENAI_MODEL,
      inputTokens: 14,
      outputTokens: 37,
    })
  })

  it('500 then success on a stream: the reader gets the reply once', async () => {
    world = await startFaultWorld()
    world.openai.enqueue(serverError(), { chunks: openaiStreamChunks() })
    const { context } = await world.company()
    const agentId = await world.agent(context, { provider: 'openai', name: OPENAI_MODEL })

    const run = await world.run(context, { agentId, message: 'Weather?', stream: true })

    const types = run.events.map((event) => event.type)
    expect(types.slice(0, 2)).toEqual(['turn-start', 'model-retry'])
    expect(ofType(run.events, 'model-retry')[0]?.error.code).toBe('UNAVAILABLE')
    const text = ofType(run.events, 'text-delta')
      .map((event) => event.delta)
      .join('')
    expect(text).toBe(run.result?.message.content)
    expect(text.startsWith("I'm unable to provide")).toBe(true)
    expect(world.openai.requests).toHaveLength(2)
  })

  it('a hung response hits model.timeoutMs and the retry answers', async () => {
    world = await startFaultWorld()
    world.openai.enqueue({ fault: 'hang' }, openaiText())
    const { context, companyId } = await world.company()
    const agentId = await world.agent(context, { provider: 'openai', name: OPENAI_MODEL, timeoutMs: 1000 })

    const run = await world.run(context, { agentId, message: 'Weather?' })

    expect(ofType(run.events, 'model-retry')).toMatchObject([{ error: { code: 'TIMEOUT' } }])
    expect(ofType(run.events, 'model-retry')[0]?.error.message).toContain('model.timeoutMs')
    expect(run.result?.outcome.type).toBe('replied')
    expect(world.openai.requests).toHaveLength(2)
    expect(await world.llmUsage(companyId)).toHaveLength(1)
  })

  it('a stream cut after its first text is not retried: the turn fails, nothing is billed', async () => {
    world = await startFaultWorld()
    // The first text chunks, a pause (so they are read), then the connection drops.
    const chunks = [...openaiStreamChunks().slice(0, 3), { text: '', delayMs: 50 }]
    world.openai.enqueue({ chunks, fault: 'drop' }, openaiText())
    const { context, companyId } = await world.company()
    const agentId = await world.agent(context, { provider: 'openai', name: OPENAI_MODEL })

    const run = await world.run(context, { agentId, message: 'Weather?', stream: true })

    expect(run.error?.code).toBe('UNAVAILABLE')
    expect(ofType(run.events, 'text-delta').length).toBeGreaterThan(0)
    expect(ofType(run.events, 'model-retry')).toEqual([])
    expect(world.openai.requests).toHaveLength(1)
    expect(await world.llmUsage(companyId)).toEqual([])
  })

  it('401 is not retried nor sent to a fallback, and names the setting to fix without the key', async () => {
    world = await startFaultWorld()
    world.openai.enqueue(
      openaiError(401, 'Incorrect API key provided: sk-platf***test.', 'invalid_request_error'),
    )
    const { context, companyId } = await world.company()
    const agentId = await world.agent(context, {
      provider: 'openai',
      name: OPENAI_MODEL,
      fallbacks: [{ provider: 'anthropic', name: ANTHROPIC_MODEL }],
    })

    const run = await world.run(context, { agentId, message: 'Hi' })

    expect(run.error?.code).toBe('UNAUTHENTICATED')
    expect(run.error?.message).toBe(
      "OpenAI rejected the API key: set OPENAI_API_KEY or the company's `openai` secret.",
    )
    expect(run.events.map((event) => event.type)).toEqual(['turn-start', 'error'])
    expect([world.openai.requests.length, world.anthropic.requests.length]).toEqual([1, 0])
    expect(JSON.stringify(run.events)).not.toContain(OPENAI_PLATFORM_KEY)
    expect(await world.llmUsage(companyId)).toEqual([])
  })

  it('the caller cancelling during a retry-after wait ends the turn at once, with no second request', async () => {
    world = await startFaultWorld()
    world.openai.enqueue(
      openaiError(429, 'Slow down', 'requests', { 'retry-after-ms': '5000' }),
      openaiText(),
    )
    const { context } = await world.company()
    const agentId = await world.agent(context, { provider: 'openai', name: OPENAI_MODEL })
    const controller = new AbortController()
    const events: TurnEvent[] = []
    for await (const event of world.agentry.orchestrator.run({
      context,
      agentId,
      message: 'Hi',
      signal: controller.signal,
    })) {
      events.push(event)
      if (event.type === 'model-retry') controller.abort()
    }
    expect(events.map((event) => event.type)).toEqual(['turn-start', 'model-retry', 'error'])
    expect(events.at(-1)).toMatchObject({ error: { code: 'CANCELLED' } })
    expect(world.openai.requests).toHaveLength(1)
  })
})

describe('circuit breaker across turns and companies', () => {
  it('opens after repeated failures, fails fast without a request, closes after the cool-down and a success', async () => {
    world = await startFaultWorld({ breaker: { consecutiveFailures: 2, cooldownMs: 150 } })
    const acme = await world.company('Acme')
    const globex = await world.company('Globex')
    const model = { provider: 'openai', name: OPENAI_MODEL, maxRetries: 0 }
    const acmeAgent = await world.agent(acme.context, model)
    const globexAgent = await world.agent(globex.context, model)
    world.openai.enqueue(serverError(), serverError())

    expect((await world.run(acme.context, { agentId: acmeAgent, message: '1' })).error?.code).toBe(
      'UNAVAILABLE',
    )
    expect((await world.run(acme.context, { agentId: acmeAgent, message: '2' })).error?.code).toBe(
      'UNAVAILABLE',
    )

    const fast = await world.run(globex.context, { agentId: globexAgent, message: '3' })
    expect(fast.error?.code).toBe('UNAVAILABLE')
    expect(fast.error?.message).toMatch(
      new RegExp(
        `^Model openai/${OPENAI_MODEL} is failing \\(last: UNAVAILABLE\\), so its circuit breaker is open: calls resume at `,
      ),
    )
    expect(world.openai.requests).toHaveLength(2)

    await new Promise((resolve) => setTimeout(resolve, 200))
    world.openai.enqueue(openaiText(), serverError())
    const recovered = await world.run(globex.context, { agentId: globexAgent, message: '4' })
    expect(recovered.result?.outcome.type).toBe('replied')
    // Closed again: one failure reaches the provider and does not open it.
    const next = await world.run(acme.context, { agentId: acmeAgent, message: '5' })
    expect(next.error?.message).not.toContain('circuit breaker')
    expect(world.openai.requests).toHaveLength(4)
  })
})

describe('fallback to a second provider', () => {
  it('an OpenAI primary that keeps failing falls back to Anthropic, which answers and is billed', async () => {
    world = await startFaultWorld()
    world.openai.respondWith(() => openaiError(503, 'Service unavailable', 'server_error'))
    world.anthropic.enqueue(counted(world, anthropicText()))
    const { context, companyId } = await world.company()
    const agentId = await world.agent(context, {
      provider: 'openai',
      name: OPENAI_MODEL,
      maxRetries: 1,
      fallbacks: [{ provider: 'anthropic', name: ANTHROPIC_MODEL }],
    })

    const run = await world.run(context, { agentId, message: 'Hello' })

    expect(run.result?.message.content).toMatch(/^Hello! I'm doing well/)
    expect(ofType(run.events, 'model-fallback')).toEqual([
      {
        type: 'model-fallback',
        from: { provider: 'openai', model: OPENAI_MODEL },
        to: { provider: 'anthropic', model: ANTHROPIC_MODEL },
        reason: { code: 'UNAVAILABLE', message: expect.any(String) },
      },
    ])
    expect(run.result?.warnings).toContain(
      `Model openai/${OPENAI_MODEL} failed with UNAVAILABLE; fell back to anthropic/${ANTHROPIC_MODEL}.`,
    )
    expect([world.openai.requests.length, world.anthropic.requests.length]).toEqual([2, 1])
    const usage = await world.llmUsage(companyId)
    expect(
      usage.map(({ provider, model, inputTokens, outputTokens }) => ({
        provider,
        model,
        inputTokens,
        outputTokens,
      })),
    ).toEqual([{ provider: 'anthropic', model: ANTHROPIC_MODEL, inputTokens: 12, outputTokens: 29 }])
    expect(run.result?.usage).toMatchObject({ modelCalls: 1, inputTokens: 12, outputTokens: 29 })
  })
})

describe('metering', () => {
  it('usage events match exactly the calls that returned, counted against the request log', async () => {
    world = await startFaultWorld()
    const w = world
    w.openai.enqueue(
      counted(w, serverError()),
      counted(w, openaiToolCall()),
      counted(w, openaiError(429, 'Slow down', 'tokens', { 'retry-after-ms': '10' })),
      counted(w, { fault: 'drop' }),
      counted(w, openaiText()),
    )
    const { context, companyId } = await w.company()
    const agentId = await w.agent(context, { provider: 'openai', name: OPENAI_MODEL, maxRetries: 3 })

    const run = await w.run(context, { agentId, message: 'Weather in Edinburgh?' })

    expect(run.result?.outcome.type).toBe('replied')
    expect(w.openai.requests).toHaveLength(5)
    expect(w.answered).toHaveLength(2)
    const usage = await w.llmUsage(companyId)
    expect(usage).toHaveLength(w.answered.length)
    expect(usage.map((event) => [event.inputTokens, event.outputTokens])).toEqual([
      [76, 24],
      [14, 37],
    ])
    expect(ofType(run.events, 'model-retry').map((event) => event.error.code)).toEqual([
      'UNAVAILABLE',
      'RATE_LIMITED',
      'UNAVAILABLE',
    ])
  })
})
