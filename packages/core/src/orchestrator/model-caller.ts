import type {
  CallOptions,
  ChatModel,
  ChatRequest,
  ChatResponse,
  ChatStreamPart,
  ModelReference,
} from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import { linkedAbort } from './abort.js'

export interface ModelCallRequest {
  readonly model: ChatModel
  readonly request: ChatRequest
  /** Use `model.stream` and yield its parts; else `model.generate`. */
  readonly stream: boolean
  /** The agent's `model.timeoutMs`: past it the call fails with `TIMEOUT`. */
  readonly timeoutMs: number
  /** The caller's signal; its abort fails the call with `CANCELLED`. */
  readonly signal?: AbortSignal
  /**
   * The agent's `model.maxRetries`: how often a resilient caller retries a retryable failure on
   * one model. Callers that do not retry ignore it.
   */
  readonly maxRetries?: number
  /** The agent's `model.fallbacks`, tried in order after the primary fails; ignored by callers without fallback. */
  readonly fallbacks?: FallbackChain
}

/** The fallback models of a call and how to get each one for the turn's company (its own keys). */
export interface FallbackChain {
  readonly models: readonly ModelReference[]
  resolve(reference: ModelReference, options?: CallOptions): Promise<ChatModel>
}

/**
 * What a caller reports while the model answers: live stream parts (`text-delta`,
 * `tool-call-start`), and from resilient callers a `model-retry` before each retry and a
 * `model-fallback` before switching models. After a `model-fallback`, the response (and its usage)
 * comes from `to` unless another `model-fallback` follows.
 */
export type ModelCallPart =
  | Extract<ChatStreamPart, { type: 'text-delta' | 'tool-call-start' }>
  | {
      readonly type: 'model-retry'
      readonly provider: string
      readonly model: string
      /** 1 for the first retry. */
      readonly attempt: number
      readonly delayMs: number
      readonly error: CoreError
    }
  | {
      readonly type: 'model-fallback'
      readonly from: ModelReference
      readonly to: ModelReference
      readonly reason: CoreError
    }

/**
 * One model call for the orchestrator: yields live parts when streaming and returns the response.
 * This is the seam for resilience (`ResilientModelCaller`: retries, circuit breaker, fallback
 * models) and for checks before a call: decorate it; the orchestrator only sees parts and one
 * response.
 */
export interface ModelCaller {
  call(request: ModelCallRequest): AsyncGenerator<ModelCallPart, ChatResponse, undefined>
}

/**
 * Calls the model once, with the timeout and the caller's signal reaching the model. A model that
 * ignores its signal still cannot hold the turn: the wait is abandoned on abort or timeout. No
 * retries and no fallbacks (`maxRetries` and `fallbacks` are ignored): `ResilientModelCaller` runs
 * each of its attempts through this.
 */
export class DirectModelCaller implements ModelCaller {
  async *call(call: ModelCallRequest): AsyncGenerator<ModelCallPart, ChatResponse, undefined> {
    const { model } = call
    const abort = linkedAbort(
      call.signal,
      call.timeoutMs,
      `Model ${model.provider}/${model.modelId} did not answer within ${call.timeoutMs} ms: raise model.timeoutMs in the agent config or check the provider.`,
    )
    try {
      if (!call.stream) return await abort.race(model.generate(call.request, { signal: abort.signal }))
      const iterator = model.stream(call.request, { signal: abort.signal })[Symbol.asyncIterator]()
      try {
        for (;;) {
          const next = await abort.race(iterator.next())
          if (next.done) break
          const part = next.value
          if (part.type === 'finish') return part.response
          if (part.type === 'text-delta' || part.type === 'tool-call-start') yield part
        }
      } finally {
        void Promise.resolve(iterator.return?.()).catch(() => {})
      }
      throw new CoreError(
        'UPSTREAM_ERROR',
        `Model ${model.provider}/${model.modelId} ended its stream without a finish part.`,
      )
    } finally {
      abort.dispose()
    }
  }
}
