import type { CallOptions, ChatModel, ChatResponse, ChatStreamPart, ModelReference } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import { expectCoreError } from '@agentry/contracts/testing'
import { describe, expect, it } from 'vitest'
import {
  type FallbackChain,
  type ModelCallPart,
  type ModelCallRequest,
  ModelCircuitBreakers,
  parseResilienceOptions,
  ResilientModelCaller,
} from '../src/index.js'

/** What one call of a fake model does: answer, fail, stream some text then fail, or hang. */
type Step = 'answer' | CoreError | { readonly textThen: CoreError } | { readonly hang: true }

/** A model that plays its steps in order (the last one repeats) and counts its calls. */
class StepModel implements ChatModel {
  calls = 0
  readonly signals: (AbortSignal | undefined)[] = []
  readonly provider: string
  readonly modelId: string
  readonly #steps: readonly Step[]

  constructor(reference: string, steps: readonly Step[]) {
    const [provider = 'test', modelId = 'model'] = reference.split('/')
    this.provider = provider
    this.modelId = modelId
    this.#steps = steps
  }

  async generate(_request: unknown, options?: CallOptions): Promise<ChatResponse> {
    const step = this.#next(options)
    if (step === 'answer') return response(this.modelId)
    if (CoreError.isInstance(step)) throw step
    return new Promise(() => {})
  }

  async *stream(_request: unknown, options?: CallOptions): AsyncGenerator<ChatStreamPart> {
    const step = this.#next(options)
    if (CoreError.isInstance(step)) throw step
    if (step !== 'answer' && 'hang' in step) return await new Promise<never>(() => {})
    yield { type: 'text-delta', delta: `from ${this.modelId}` }
    if (step !== 'answer') throw step.textThen
    yield { type: 'finish', response: response(this.modelId) }
  }

  #next(options: CallOptions | undefined): Step {
    this.signals.push(options?.signal)
    this.calls += 1
    return this.#steps[Math.min(this.calls, this.#steps.length) - 1] ?? 'answer'
  }
}

function response(model: string): ChatResponse {
  return {
    content: `from ${model}`,
    toolCalls: [],
    finishReason: 'stop',
    refusal: null,
    usage: { inputTokens: 3, outputTokens: 2, cachedInputTokens: 0 },
    model,
    responseId: null,
  }
}

const unavailable = () => new CoreError('UNAVAILABLE', 'Provider returned 503.')
const request = { messages: [{ role: 'user' as const, content: 'hi' }] }

function fallbacksOf(...models: ChatModel[]): FallbackChain {
  return {
    models: models.map((model) => ({ provider: model.provider, model: model.modelId })),
    resolve: async (reference: ModelReference) => {
      const found = models.find((model) => model.provider === reference.provider)
      if (!found) throw new CoreError('UNAUTHENTICATED', 'No key for this provider.')
      return found
    },
  }
}

/** A caller with no jitter (waits are exactly the retry-after or zero) and quick backoff steps. */
function resilient(options: ConstructorParameters<typeof ResilientModelCaller>[0] = {}) {
  return new ResilientModelCaller({ random: () => 0, resilience: { retry: { baseDelayMs: 1 } }, ...options })
}

async function run(caller: ResilientModelCaller, call: Partial<ModelCallRequest> & { model: ChatModel }) {
  const parts: ModelCallPart[] = []
  const generator = caller.call({ request, stream: false, timeoutMs: 1000, maxRetries: 2, ...call })
  for (;;) {
    const next = await generator.next()
    if (next.done) return { parts, response: next.value }
    parts.push(next.value)
  }
}

async function runFailing(
  caller: ResilientModelCaller,
  call: Partial<ModelCallRequest> & { model: ChatModel },
) {
  const parts: ModelCallPart[] = []
  try {
    for await (const part of caller.call({ request, stream: false, timeoutMs: 1000, maxRetries: 2, ...call }))
      parts.push(part)
  } catch (error) {
    return { parts, error: error as CoreError }
  }
  throw new Error('expected the call to fail')
}

describe('ResilientModelCaller retries', () => {
  it('retries retryable errors and waits at least what the provider asked', async () => {
    const limited = new CoreError('RATE_LIMITED', 'Slow down.', { retryAfterMs: 30 })
    const model = new StepModel('openai/gpt', [limited, unavailable(), 'answer'])
    const { parts, response: answer } = await run(resilient(), { model })
    expect(answer.content).toBe('from gpt')
    expect(model.calls).toBe(3)
    expect(parts).toMatchObject([
      {
        type: 'model-retry',
        provider: 'openai',
        model: 'gpt',
        attempt: 1,
        delayMs: 30,
        error: { code: 'RATE_LIMITED' },
      },
      { type: 'model-retry', attempt: 2, delayMs: 0, error: { code: 'UNAVAILABLE' } },
    ])
  })

  it('uses exponential backoff with full jitter below the cap', async () => {
    const model = new StepModel('test/model', [unavailable(), unavailable(), unavailable(), 'answer'])
    const caller = new ResilientModelCaller({
      random: () => 0.5,
      resilience: { retry: { baseDelayMs: 8, maxDelayMs: 20 } },
    })
    const { parts } = await run(caller, { model, maxRetries: 3 })
    expect(parts.map((part) => (part.type === 'model-retry' ? part.delayMs : null))).toEqual([4, 8, 10])
  })

  it('stops after maxRetries and throws the last error', async () => {
    const model = new StepModel('test/model', [unavailable()])
    const { parts, error } = await runFailing(resilient(), { model, maxRetries: 1 })
    expect(error.code).toBe('UNAVAILABLE')
    expect(model.calls).toBe(2)
    expect(parts).toHaveLength(1)
  })

  it('does not retry or fall back on errors the caller must fix', async () => {
    const model = new StepModel('openai/gpt', [new CoreError('UNAUTHENTICATED', 'Set OPENAI_API_KEY.')])
    const fallback = new StepModel('anthropic/claude', ['answer'])
    const { parts, error } = await runFailing(resilient(), { model, fallbacks: fallbacksOf(fallback) })
    expect(error.message).toBe('Set OPENAI_API_KEY.')
    expect(parts).toEqual([])
    expect([model.calls, fallback.calls]).toEqual([1, 0])
  })

  it('gives up with RATE_LIMITED when the provider asks to wait longer than the maximum', async () => {
    const model = new StepModel('openai/gpt', [
      new CoreError('RATE_LIMITED', 'Later.', { retryAfterMs: 60_000 }),
    ])
    const { error, parts } = await runFailing(resilient(), { model })
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 60_000 })
    expect(model.calls).toBe(1)
    expect(parts).toEqual([])
  })

  it('ends at once with CANCELLED when the caller aborts during a backoff wait, and calls no more', async () => {
    const model = new StepModel('test/model', [new CoreError('RATE_LIMITED', 'Wait.', { retryAfterMs: 40 })])
    const controller = new AbortController()
    const generator = resilient().call({
      model,
      request,
      stream: false,
      timeoutMs: 1000,
      maxRetries: 2,
      signal: controller.signal,
    })
    const first = await generator.next()
    expect(first.value).toMatchObject({ type: 'model-retry', delayMs: 40 })
    const pending = generator.next()
    controller.abort()
    await expectCoreError(pending, 'CANCELLED')
    // Past the wait, the retry that was due finds the call cancelled and does not reach the model.
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(model.calls).toBe(1)
  })

  it('passes TIMEOUT of a hung attempt to a retry', async () => {
    const model = new StepModel('test/model', [{ hang: true }, 'answer'])
    const { parts, response: answer } = await run(resilient(), { model, timeoutMs: 20 })
    expect(parts).toMatchObject([{ type: 'model-retry', error: { code: 'TIMEOUT' } }])
    expect(answer.content).toBe('from model')
    expect(model.signals[0]?.aborted).toBe(true)
  })
})

describe('ResilientModelCaller streams', () => {
  it('retries a stream that failed before its first part; the reader sees the text once', async () => {
    const model = new StepModel('test/model', [unavailable(), 'answer'])
    const { parts } = await run(resilient(), { model, stream: true })
    expect(parts.map((part) => part.type)).toEqual(['model-retry', 'text-delta'])
  })

  it('does not retry nor fall back once text reached the reader', async () => {
    const model = new StepModel('test/model', [{ textThen: unavailable() }, 'answer'])
    const fallback = new StepModel('other/model', ['answer'])
    const { parts, error } = await runFailing(resilient(), {
      model,
      stream: true,
      fallbacks: fallbacksOf(fallback),
    })
    expect(error.code).toBe('UNAVAILABLE')
    expect(parts.map((part) => part.type)).toEqual(['text-delta'])
    expect([model.calls, fallback.calls]).toEqual([1, 0])
  })

  it('cancels the model call when the reader stops reading', async () => {
    const model = new StepModel('test/model', [{ hang: true }])
    const hanging: ChatModel = {
      ...model,
      provider: 'test',
      modelId: 'model',
      generate: (r, o) => model.generate(r, o),
      async *stream(_request, options) {
        model.signals.push(options?.signal)
        yield { type: 'text-delta', delta: 'partial' }
        await new Promise(() => {})
      },
    }
    const generator = resilient().call({ model: hanging, request, stream: true, timeoutMs: 60_000 })
    expect((await generator.next()).value).toMatchObject({ type: 'text-delta' })
    await generator.return(response('x'))
    expect(model.signals[0]?.aborted).toBe(true)
  })
})

describe('ResilientModelCaller fallbacks', () => {
  it('falls back after the primary exhausted its retries; the response comes from the fallback', async () => {
    const primary = new StepModel('openai/gpt', [unavailable()])
    const fallback = new StepModel('anthropic/claude', ['answer'])
    const { parts, response: answer } = await run(resilient(), {
      model: primary,
      maxRetries: 1,
      fallbacks: fallbacksOf(fallback),
    })
    expect(answer.content).toBe('from claude')
    expect(parts.map((part) => part.type)).toEqual(['model-retry', 'model-fallback'])
    expect(parts[1]).toMatchObject({
      from: { provider: 'openai', model: 'gpt' },
      to: { provider: 'anthropic', model: 'claude' },
      reason: { code: 'UNAVAILABLE' },
    })
  })

  it('falls back on CONTEXT_LENGTH_EXCEEDED without retrying the same model', async () => {
    const primary = new StepModel('openai/small', [new CoreError('CONTEXT_LENGTH_EXCEEDED', 'Too long.')])
    const fallback = new StepModel('anthropic/large', ['answer'])
    const { parts } = await run(resilient(), { model: primary, fallbacks: fallbacksOf(fallback) })
    expect(parts.map((part) => part.type)).toEqual(['model-fallback'])
    expect(primary.calls).toBe(1)
  })

  it('skips a fallback it cannot resolve and tries the next', async () => {
    const primary = new StepModel('openai/gpt', [unavailable()])
    const last = new StepModel('groq/llama', ['answer'])
    const chain: FallbackChain = {
      models: [
        { provider: 'anthropic', model: 'claude' },
        { provider: 'groq', model: 'llama' },
      ],
      resolve: fallbacksOf(last).resolve,
    }
    const { parts, response: answer } = await run(resilient(), {
      model: primary,
      maxRetries: 0,
      fallbacks: chain,
    })
    expect(answer.content).toBe('from llama')
    expect(parts).toMatchObject([
      {
        type: 'model-fallback',
        from: { provider: 'openai' },
        to: { provider: 'anthropic' },
        reason: { code: 'UNAVAILABLE' },
      },
      {
        type: 'model-fallback',
        from: { provider: 'anthropic' },
        to: { provider: 'groq' },
        reason: { code: 'UNAUTHENTICATED' },
      },
    ])
  })

  it('throws the last error when every model failed', async () => {
    const primary = new StepModel('openai/gpt', [unavailable()])
    const fallback = new StepModel('anthropic/claude', [new CoreError('TIMEOUT', 'Claude timed out.')])
    const { error } = await runFailing(resilient(), {
      model: primary,
      maxRetries: 0,
      fallbacks: fallbacksOf(fallback),
    })
    expect(error.message).toBe('Claude timed out.')
  })
})

describe('ResilientModelCaller circuit breakers', () => {
  const breakerOptions = { consecutiveFailures: 2, cooldownMs: 60, minimumCalls: 10 }

  it('opens after consecutive failures, fails fast naming the model, closes after a successful trial', async () => {
    const caller = resilient({ resilience: { retry: { baseDelayMs: 1 }, breaker: breakerOptions } })
    const model = new StepModel('openai/gpt', [unavailable(), unavailable(), 'answer'])
    await runFailing(caller, { model, maxRetries: 0 })
    await runFailing(caller, { model, maxRetries: 0 })
    expect(caller.breakers.state({ provider: 'openai', model: 'gpt' })).toBe('open')

    const { error, parts } = await runFailing(caller, { model, maxRetries: 2 })
    expect(error.code).toBe('UNAVAILABLE')
    expect(error.message).toMatch(
      /^Model openai\/gpt is failing \(last: UNAVAILABLE\), so its circuit breaker is open: calls resume at .+ \(in 1 s\)/,
    )
    expect(error.retryAfterMs).toBeLessThanOrEqual(60)
    expect(parts).toEqual([])
    expect(model.calls).toBe(2)

    await new Promise((resolve) => setTimeout(resolve, 80))
    const { response: answer } = await run(caller, { model })
    expect(answer.content).toBe('from gpt')
    expect(caller.breakers.state({ provider: 'openai', model: 'gpt' })).toBe('closed')
  })

  it('goes to the fallback at once while the primary breaker is open', async () => {
    const breakers = new ModelCircuitBreakers({ consecutiveFailures: 1, cooldownMs: 60_000 })
    const caller = resilient({ breakers })
    const primary = new StepModel('openai/gpt', [unavailable()])
    const fallback = new StepModel('anthropic/claude', ['answer'])
    await run(caller, { model: primary, maxRetries: 0, fallbacks: fallbacksOf(fallback) })
    const second = await run(caller, { model: primary, maxRetries: 2, fallbacks: fallbacksOf(fallback) })
    expect(second.parts).toMatchObject([
      { type: 'model-fallback', reason: { code: 'UNAVAILABLE', details: { circuit: 'open' } } },
    ])
    expect([primary.calls, fallback.calls]).toEqual([1, 2])
  })

  it('opens on a failure ratio too, and is not opened by rate limits', async () => {
    const breakers = new ModelCircuitBreakers({
      consecutiveFailures: 100,
      failureRatio: 0.5,
      windowSize: 4,
      minimumCalls: 4,
    })
    const caller = resilient({ breakers })
    const limited = new StepModel('a/limited', [new CoreError('RATE_LIMITED', 'Slow down.')])
    for (let index = 0; index < 6; index += 1) await runFailing(caller, { model: limited, maxRetries: 0 })
    expect(breakers.state({ provider: 'a', model: 'limited' })).toBe('closed')

    const flaky = new StepModel('b/flaky', ['answer', unavailable(), 'answer', unavailable(), unavailable()])
    await run(caller, { model: flaky, maxRetries: 0 })
    await runFailing(caller, { model: flaky, maxRetries: 0 })
    await run(caller, { model: flaky, maxRetries: 0 })
    expect(breakers.state({ provider: 'b', model: 'flaky' })).toBe('closed')
    await runFailing(caller, { model: flaky, maxRetries: 0 })
    await runFailing(caller, { model: flaky, maxRetries: 0 })
    expect(breakers.state({ provider: 'b', model: 'flaky' })).toBe('open')
  })

  it('keeps one breaker per provider and model', async () => {
    const breakers = new ModelCircuitBreakers({ consecutiveFailures: 1 })
    const caller = resilient({ breakers })
    await runFailing(caller, { model: new StepModel('openai/gpt', [unavailable()]), maxRetries: 0 })
    const other = new StepModel('openai/mini', ['answer'])
    await run(caller, { model: other })
    expect(breakers.state({ provider: 'openai', model: 'gpt' })).toBe('open')
    expect(breakers.state({ provider: 'openai', model: 'mini' })).toBe('closed')
  })
})

describe('parseResilienceOptions', () => {
  it('fills defaults', () => {
    expect(parseResilienceOptions({})).toEqual({
      retry: { baseDelayMs: 500, maxDelayMs: 30_000 },
      breaker: {
        consecutiveFailures: 5,
        failureRatio: 0.5,
        windowSize: 20,
        minimumCalls: 10,
        cooldownMs: 30_000,
      },
    })
  })

  it('names every bad field', async () => {
    const error = await expectCoreError(
      async () =>
        parseResilienceOptions({ retry: { baseDelayMs: -1 }, breaker: { failureRatio: 2 }, extra: 1 }),
      'INVALID_INPUT',
    )
    expect(error.message).toMatch(/retry\.baseDelayMs/)
    expect(error.message).toMatch(/breaker\.failureRatio/)
  })
})
