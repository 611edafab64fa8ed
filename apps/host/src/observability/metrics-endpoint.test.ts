import type { JobQueue, LogFields, QueueDepth } from '@agentry/contracts'
import { CoreError, noopTelemetry } from '@agentry/contracts'
import { PrometheusMetrics } from '@agentry/telemetry'
import { describe, expect, it } from 'vitest'
import { HOST_METRICS } from './host-metrics.js'
import { MetricsEndpoint } from './metrics-endpoint.js'

const TOKEN = 'scrape-token-0123456789'

function endpoint(depth: JobQueue['depth'], token?: string) {
  const warnings: { message: string; fields?: LogFields }[] = []
  const logger = {
    ...noopTelemetry.logger,
    warn: (message: string, fields?: LogFields) => warnings.push({ message, fields }),
  }
  const metricsEndpoint = new MetricsEndpoint({
    metrics: new PrometheusMetrics({ definitions: HOST_METRICS, processMetrics: false }),
    queue: { depth },
    jobKinds: ['kb.index', 'billing.monthly'],
    token,
    logger,
    depthTimeoutMs: 20,
  })
  return { metricsEndpoint, warnings }
}

const depthOf = (waiting: number): QueueDepth => ({ waiting, delayed: 1, active: 2, failed: 3 })

describe('MetricsEndpoint', () => {
  it('reads the depth of every job kind at each scrape', async () => {
    let waiting = 5
    const { metricsEndpoint } = endpoint(async (kind) => depthOf(kind === 'kb.index' ? waiting : 0))
    expect(await metricsEndpoint.render()).toContain('agentry_queue_jobs{kind="kb.index",state="waiting"} 5')
    waiting = 9
    const text = await metricsEndpoint.render()
    expect(text).toContain('agentry_queue_jobs{kind="kb.index",state="waiting"} 9')
    expect(text).toContain('agentry_queue_jobs{kind="billing.monthly",state="failed"} 3')
  })

  it('answers with the last values when the queue fails or hangs, and warns once per outage', async () => {
    let mode: 'ok' | 'down' | 'hang' = 'ok'
    const { metricsEndpoint, warnings } = endpoint(async (_kind, options) => {
      if (mode === 'down') throw new CoreError('UNAVAILABLE', 'Redis does not answer')
      if (mode === 'hang') {
        return new Promise<QueueDepth>((_resolve, reject) =>
          options?.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
        )
      }
      return depthOf(4)
    })
    await metricsEndpoint.render()
    mode = 'down'
    expect(await metricsEndpoint.render()).toContain('agentry_queue_jobs{kind="kb.index",state="waiting"} 4')
    mode = 'hang'
    expect(await metricsEndpoint.render()).toContain('agentry_queue_jobs{kind="kb.index",state="waiting"} 4')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]?.fields?.error).toContain('Redis does not answer')
    mode = 'ok'
    await metricsEndpoint.render()
    mode = 'hang'
    await metricsEndpoint.render()
    expect(warnings).toHaveLength(2)
    expect(warnings[1]?.fields?.error).toContain('did not answer within 20 ms')
  })

  it('is open without a token, and with one needs exactly that bearer token', () => {
    const depth = async () => depthOf(0)
    expect(() => endpoint(depth).metricsEndpoint.authorize(undefined)).not.toThrow()
    const guarded = endpoint(depth, TOKEN).metricsEndpoint
    expect(() => guarded.authorize(`Bearer ${TOKEN}`)).not.toThrow()
    expect(() => guarded.authorize(`bearer ${TOKEN} `)).not.toThrow()
    for (const header of [undefined, '', TOKEN, `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, 'Bearer']) {
      let caught: unknown
      try {
        guarded.authorize(header)
      } catch (error) {
        caught = error
      }
      expect(CoreError.hasCode(caught, 'UNAUTHENTICATED'), String(header)).toBe(true)
    }
  })
})
