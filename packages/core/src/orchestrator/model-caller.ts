import type { ChatModel, ChatRequest, ChatResponse, ChatStreamPart } from '@agentry/contracts'
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
}

/** Stream parts worth showing the caller while the model answers. */
export type ModelCallPart = Extract<ChatStreamPart, { type: 'text-delta' | 'tool-call-start' }>

/**
 * One model call for the orchestrator: yields live parts when streaming and returns the response.
 * This is the seam for resilience (retries, per-call timeouts, circuit breaker, fallback models):
 * wrap or replace it; the orchestrator only sees parts and one response.
 */
export interface ModelCaller {
  call(request: ModelCallRequest): AsyncGenerator<ModelCallPart, ChatResponse, undefined>
}

/**
 * Calls the model once, with the timeout and the caller's signal reaching the model. A model that
 * ignores its signal still cannot hold the turn: the wait is abandoned on abort or timeout.
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
