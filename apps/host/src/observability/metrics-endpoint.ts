import { createHash, timingSafeEqual } from 'node:crypto'
import type { JobQueue, Logger, Metrics } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import { HOST_METRIC } from './host-metrics.js'

/** How long a scrape waits for the queue depth before it answers with the last values. */
const DEPTH_TIMEOUT_MS = 1000

export interface MetricsEndpointOptions {
  /** The process's registry (`TelemetryAdapters.metrics`). */
  readonly metrics: Metrics & { render(): Promise<string>; readonly contentType: string }
  /** Its depth per job kind is read at each scrape (shared by every process on Redis). */
  readonly queue: Pick<JobQueue, 'depth'>
  readonly jobKinds: readonly string[]
  /** `AGENTRY_METRICS_TOKEN`: when set, a scrape needs `Authorization: Bearer <token>`. */
  readonly token: string | undefined
  readonly logger: Logger
  /** How long a scrape waits for the queue depth; 1000 ms by default. */
  readonly depthTimeoutMs?: number
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest()
}

/** `GET /metrics` of the API and of the worker's metrics port: the check and the Prometheus text. */
export class MetricsEndpoint {
  readonly #options: MetricsEndpointOptions
  readonly #token: Buffer | null
  #isDepthFailing = false

  constructor(options: MetricsEndpointOptions) {
    this.#options = options
    this.#token = options.token ? digest(options.token) : null
  }

  get contentType(): string {
    return this.#options.metrics.contentType
  }

  /** Throws `UNAUTHENTICATED` when a token is configured and the header does not carry it. */
  authorize(authorization: string | undefined): void {
    if (this.#token === null) return
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
    if (match?.[1] && timingSafeEqual(digest(match[1]), this.#token)) return
    throw new CoreError(
      'UNAUTHENTICATED',
      'GET /metrics needs Authorization: Bearer <AGENTRY_METRICS_TOKEN> (the server sets a metrics token).',
    )
  }

  /** Reads the queue depth (or keeps the last values if the queue does not answer soon), then renders. */
  async render(): Promise<string> {
    await this.#readQueueDepth()
    return this.#options.metrics.render()
  }

  async #readQueueDepth(): Promise<void> {
    const { queue, jobKinds, metrics, logger } = this.#options
    const timeoutMs = this.#options.depthTimeoutMs ?? DEPTH_TIMEOUT_MS
    const controller = new AbortController()
    let timer: NodeJS.Timeout | undefined
    try {
      const depths = await Promise.race([
        Promise.all(
          jobKinds.map(
            async (kind) => [kind, await queue.depth(kind, { signal: controller.signal })] as const,
          ),
        ),
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => {
            controller.abort()
            reject(new Error(`the queue did not answer within ${timeoutMs} ms`))
          }, timeoutMs)
        }),
      ])
      for (const [kind, depth] of depths) {
        for (const [state, count] of Object.entries(depth)) {
          metrics.gauge(HOST_METRIC.queueJobs, { kind, state }, count)
        }
      }
      this.#isDepthFailing = false
    } catch (error) {
      // Said once per outage, not at every scrape.
      if (!this.#isDepthFailing) {
        logger.warn('The queue depth could not be read for /metrics; the last values are shown.', {
          error: error instanceof Error ? error.message : String(error),
        })
      }
      this.#isDepthFailing = true
    } finally {
      clearTimeout(timer)
    }
  }
}
