import type { ChatResponse, Metrics, Telemetry } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import type { ModelCaller, ModelCallPart, ModelCallRequest } from '../orchestrator/model-caller.js'
import { CORE_METRIC, CORE_SPAN } from './core-metrics.js'
import { tracedGenerator } from './traced-generator.js'

/**
 * Decorates one model call (put it under the retries, so each attempt counts) with a span
 * (`agentry.model.call`), its latency, its outcome and the tokens it reported, per provider and
 * model. Parts and the response pass through unchanged.
 */
export class ObservedModelCaller implements ModelCaller {
  readonly #inner: ModelCaller
  readonly #telemetry: Telemetry

  constructor(inner: ModelCaller, telemetry: Telemetry) {
    this.#inner = inner
    this.#telemetry = telemetry
  }

  call(call: ModelCallRequest): AsyncGenerator<ModelCallPart, ChatResponse, undefined> {
    const { provider, modelId: model } = call.model
    const { metrics, tracer } = this.#telemetry
    const inner = this.#inner
    return tracedGenerator(
      tracer,
      CORE_SPAN.modelCall,
      { 'gen_ai.system': provider, 'gen_ai.request.model': model, 'agentry.stream': call.stream },
      async function* (span) {
        const started = performance.now()
        let outcome = 'ok'
        try {
          const response = yield* inner.call(call)
          span.setAttribute('gen_ai.response.model', response.model)
          span.setAttribute('gen_ai.usage.input_tokens', response.usage.inputTokens)
          span.setAttribute('gen_ai.usage.output_tokens', response.usage.outputTokens)
          span.setAttribute('gen_ai.response.finish_reasons', response.finishReason)
          countTokens(metrics, provider, model, response)
          return response
        } catch (error) {
          outcome = CoreError.isInstance(error) ? error.code : 'INTERNAL'
          throw error
        } finally {
          const labels = { provider, model, outcome }
          metrics.increment(CORE_METRIC.modelCalls, labels)
          metrics.observe(CORE_METRIC.modelCallDuration, labels, (performance.now() - started) / 1000)
        }
      },
    )
  }
}

function countTokens(metrics: Metrics, provider: string, model: string, response: ChatResponse): void {
  const { usage } = response
  const count = (direction: string, tokens: number) =>
    metrics.increment(CORE_METRIC.modelTokens, { provider, model, direction }, tokens)
  count('input', usage.inputTokens)
  count('output', usage.outputTokens)
  if (usage.cachedInputTokens > 0) count('cached', usage.cachedInputTokens)
}
