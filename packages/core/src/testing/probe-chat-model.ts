import type { CallOptions, ChatModel, ChatRequest, ChatResponse, ChatStreamPart } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'

/**
 * Wraps a real ChatModel and records what reached it: every request, the signal of every call, how
 * many calls returned. It can also fail or hold a chosen call, to test what a turn does when the
 * model fails or hangs halfway. Everything else is the wrapped model's behaviour.
 */
export class ProbeChatModel implements ChatModel {
  readonly provider: string
  readonly modelId: string
  readonly requests: ChatRequest[] = []
  readonly signals: (AbortSignal | undefined)[] = []
  /** Calls that produced a response (what must be billed). */
  returned = 0
  /** 1-based call number that throws `UPSTREAM_ERROR` instead of answering. */
  failOnCall: number | null = null
  /** 1-based call number that waits until its signal aborts (ignoring nothing else). */
  holdOnCall: number | null = null
  /** Called when the held call starts waiting: the moment a test can abort it, with no timers. */
  onHold: (() => void) | null = null
  /** Waited before every call, honouring the signal. */
  delayMs = 0
  readonly #inner: ChatModel
  #calls = 0

  constructor(inner: ChatModel) {
    this.#inner = inner
    this.provider = inner.provider
    this.modelId = inner.modelId
  }

  get calls(): number {
    return this.#calls
  }

  async generate(request: ChatRequest, options?: CallOptions): Promise<ChatResponse> {
    await this.#before(request, options)
    const response = await this.#inner.generate(request, options)
    this.returned += 1
    return response
  }

  async *stream(request: ChatRequest, options?: CallOptions): AsyncGenerator<ChatStreamPart> {
    await this.#before(request, options)
    for await (const part of this.#inner.stream(request, options)) {
      if (part.type === 'finish') this.returned += 1
      yield part
    }
  }

  async #before(request: ChatRequest, options: CallOptions | undefined): Promise<void> {
    this.#calls += 1
    const call = this.#calls
    this.requests.push(request)
    this.signals.push(options?.signal)
    if (this.delayMs > 0) await wait(this.delayMs, options?.signal)
    if (call === this.failOnCall) {
      throw new CoreError('UPSTREAM_ERROR', `Probe: model call ${call} failed on purpose.`)
    }
    if (call === this.holdOnCall) {
      const held = wait(Number.POSITIVE_INFINITY, options?.signal)
      this.onHold?.()
      await held
    }
  }
}

/** Resolves after `ms` (never for Infinity); rejects with `CANCELLED` when `signal` aborts. */
export function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const cancelled = () => new CoreError('CANCELLED', 'Aborted while waiting.', { cause: signal?.reason })
    if (signal?.aborted) {
      reject(cancelled())
      return
    }
    const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined
    function done() {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }
    function onAbort() {
      if (timer !== undefined) clearTimeout(timer)
      reject(cancelled())
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
