import type { CallOptions, Telemetry } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import type { RetrievalRequest, RetrievalResult, Retriever } from '../orchestrator/retriever.js'
import { CORE_METRIC, CORE_SPAN } from './core-metrics.js'

/** Decorates a turn's retrieval with a span (`agentry.retrieval`) and its latency by mode and outcome. */
export class ObservedRetriever implements Retriever {
  readonly #inner: Retriever
  readonly #telemetry: Telemetry

  constructor(inner: Retriever, telemetry: Telemetry) {
    this.#inner = inner
    this.#telemetry = telemetry
  }

  retrieve(request: RetrievalRequest, options?: CallOptions): Promise<RetrievalResult> {
    const { metrics, tracer } = this.#telemetry
    const attributes = {
      'agentry.retrieval.mode': request.mode,
      'agentry.retrieval.top_k': request.topK,
      'agentry.retrieval.knowledge_bases': request.knowledgeBaseIds.length,
    }
    return tracer.span(CORE_SPAN.retrieval, attributes, async (span) => {
      const started = performance.now()
      let outcome = 'ok'
      try {
        const result = await this.#inner.retrieve(request, options)
        span.setAttribute('agentry.retrieval.passages', result.passages.length)
        return result
      } catch (error) {
        outcome = CoreError.isInstance(error) ? error.code : 'INTERNAL'
        throw error
      } finally {
        metrics.observe(
          CORE_METRIC.retrievalDuration,
          { mode: request.mode, outcome },
          (performance.now() - started) / 1000,
        )
      }
    })
  }
}
