import type { ChatModel, ChatResponse, ModelReference } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import { DelegateBackoff, handleWhen, type IRetryBackoffContext, retry } from 'cockatiel'
import { cancelledError, linkedAbort, toCoreError } from '../orchestrator/abort.js'
import {
  DirectModelCaller,
  type FallbackChain,
  type ModelCaller,
  type ModelCallPart,
  type ModelCallRequest,
} from '../orchestrator/model-caller.js'
import { isOpenCircuitError, ModelCircuitBreakers } from './model-circuit-breakers.js'
import { PartChannel } from './part-channel.js'
import { parseResilienceOptions, type ResilienceOptionsInput } from './resilience-options.js'

/** Retries when a request does not say (`model.maxRetries` defaults to the same). */
export const DEFAULT_MAX_RETRIES = 2

export interface ResilientModelCallerOptions {
  /** Runs one attempt and enforces `timeoutMs` on it. Default `DirectModelCaller`. */
  readonly inner?: ModelCaller
  /** Breaker state to share (one per Agentry instance). Default: a new set from `resilience.breaker`. */
  readonly breakers?: ModelCircuitBreakers
  readonly resilience?: ResilienceOptionsInput
  /** Source of jitter in [0, 1). Default `Math.random`. */
  readonly random?: () => number
}

interface Progress {
  /** A text or tool-call part reached the reader: no retry and no fallback from now on. */
  delivered: boolean
}

/**
 * Model calls that survive provider trouble, provider-neutral (docs/models.md):
 * - retries of retryable `CoreError`s (`RATE_LIMITED`, `TIMEOUT`, `UNAVAILABLE`), up to the
 *   request's `maxRetries`, after exponential backoff with full jitter, never sooner than the
 *   error's `retryAfterMs`; a provider asking for more than `retry.maxDelayMs` is not retried;
 * - every attempt through `inner` (its own `timeoutMs`) inside the model's circuit breaker;
 * - then the request's fallbacks in order, when the model failed with a retryable error (or its
 *   breaker is open) or with `CONTEXT_LENGTH_EXCEEDED` (another model may have a larger window).
 *   Other errors (`UNAUTHENTICATED`, `INVALID_INPUT`, `CONTENT_FILTERED`, ...) are the caller's to
 *   fix and end the call, as does the caller's abort (`CANCELLED`, at once, also mid-backoff).
 * Once a text or tool-call part has been yielded, a failure ends the call: retrying would send
 * the reader the same text twice. Each retry and fallback is reported as a part before it happens.
 */
export class ResilientModelCaller implements ModelCaller {
  readonly breakers: ModelCircuitBreakers
  readonly #inner: ModelCaller
  readonly #baseDelayMs: number
  readonly #maxDelayMs: number
  readonly #random: () => number

  constructor(options: ResilientModelCallerOptions = {}) {
    const resilience = parseResilienceOptions(options.resilience)
    this.breakers = options.breakers ?? new ModelCircuitBreakers(resilience.breaker)
    this.#inner = options.inner ?? new DirectModelCaller()
    this.#baseDelayMs = resilience.retry.baseDelayMs
    this.#maxDelayMs = resilience.retry.maxDelayMs
    this.#random = options.random ?? Math.random
  }

  async *call(call: ModelCallRequest): AsyncGenerator<ModelCallPart, ChatResponse, undefined> {
    // Ends the attempts when the caller aborts or stops reading (also a retry still waiting).
    const stop = new AbortController()
    const onAbort = () => stop.abort(call.signal?.reason)
    if (call.signal?.aborted) onAbort()
    else call.signal?.addEventListener('abort', onAbort, { once: true })
    const progress: Progress = { delivered: false }
    const chain = [referenceOf(call.model), ...(call.fallbacks?.models ?? [])]
    let failure: CoreError | undefined
    try {
      for (const [index, reference] of chain.entries()) {
        if (failure) {
          yield {
            type: 'model-fallback',
            from: chain[index - 1] ?? reference,
            to: reference,
            reason: failure,
          }
        }
        let model: ChatModel
        try {
          model =
            index === 0 || !call.fallbacks
              ? call.model
              : await resolveFallback(call.fallbacks, reference, stop.signal)
        } catch (error) {
          // A fallback that cannot be had (no key for this company, unknown provider): try the next.
          failure = toCoreError(error)
          if (stop.signal.aborted) throw failure
          continue
        }
        try {
          return yield* this.#callWithRetries(model, reference, call, stop.signal, progress)
        } catch (error) {
          failure = toCoreError(error)
          if (!this.#mayFallBack(failure, progress, stop.signal)) throw failure
        }
      }
      throw failure
    } finally {
      call.signal?.removeEventListener('abort', onAbort)
      stop.abort(new CoreError('CANCELLED', 'The model call ended before this attempt.'))
    }
  }

  async *#callWithRetries(
    model: ChatModel,
    reference: ModelReference,
    call: ModelCallRequest,
    signal: AbortSignal,
    progress: Progress,
  ): AsyncGenerator<ModelCallPart, ChatResponse, undefined> {
    const channel = new PartChannel<ModelCallPart>()
    const policy = retry(
      handleWhen((error) => this.#mayRetry(error, progress, signal)),
      {
        maxAttempts: call.maxRetries ?? DEFAULT_MAX_RETRIES,
        backoff: new DelegateBackoff((context: IRetryBackoffContext<unknown>) => this.#delayOf(context)),
      },
    ).dangerouslyUnref()
    const listener = policy.onRetry((event) => {
      channel.post({
        type: 'model-retry',
        provider: reference.provider,
        model: reference.model,
        attempt: event.attempt,
        delayMs: event.delay,
        error: toCoreError('error' in event ? event.error : undefined),
      })
    })
    const attempt = async (): Promise<ChatResponse> => {
      // Cockatiel's backoff wait does not end on abort; the reader has gone by then, so no call.
      if (signal.aborted) throw cancelledError(signal)
      return this.breakers.execute(reference, async () => {
        const parts = this.#inner.call({
          model,
          request: call.request,
          stream: call.stream,
          timeoutMs: call.timeoutMs,
          signal,
        })
        try {
          for (;;) {
            const next = await parts.next()
            if (next.done) return next.value
            if (next.value.type === 'text-delta' || next.value.type === 'tool-call-start') {
              progress.delivered = true
            }
            await channel.send(next.value)
          }
        } finally {
          void parts.return(undefined as never).catch(() => {})
        }
      })
    }
    try {
      return yield* channel.drain(policy.execute(attempt, signal), signal)
    } finally {
      listener.dispose()
    }
  }

  #mayRetry(error: unknown, progress: Progress, signal: AbortSignal): boolean {
    if (signal.aborted || progress.delivered) return false
    if (!CoreError.isInstance(error) || !error.isRetryable || isOpenCircuitError(error)) return false
    return (error.retryAfterMs ?? 0) <= this.#maxDelayMs
  }

  #mayFallBack(error: CoreError, progress: Progress, signal: AbortSignal): boolean {
    if (signal.aborted || progress.delivered) return false
    return error.isRetryable || error.code === 'CONTEXT_LENGTH_EXCEEDED'
  }

  /** Full jitter on a doubling step, but never sooner than the provider's retry-after. */
  #delayOf(context: IRetryBackoffContext<unknown>): number {
    const step = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** (context.attempt - 1))
    const jittered = Math.round(this.#random() * step)
    const error = 'error' in context.result ? context.result.error : undefined
    const retryAfterMs = CoreError.isInstance(error) ? (error.retryAfterMs ?? 0) : 0
    return Math.max(jittered, Math.ceil(retryAfterMs))
  }
}

async function resolveFallback(
  fallbacks: FallbackChain,
  reference: ModelReference,
  signal: AbortSignal,
): Promise<ChatModel> {
  const abort = linkedAbort(signal, null)
  try {
    return await abort.race(fallbacks.resolve(reference, { signal: abort.signal }))
  } finally {
    abort.dispose()
  }
}

function referenceOf(model: ChatModel): ModelReference {
  return { provider: model.provider, model: model.modelId }
}
