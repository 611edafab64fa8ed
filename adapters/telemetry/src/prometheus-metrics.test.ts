import { describe, expect, it } from 'vitest'
import { type MetricDefinition, PrometheusMetrics } from './prometheus-metrics.js'

const DEFINITIONS: MetricDefinition[] = [
  {
    name: 'agentry_turns_total',
    type: 'counter',
    help: 'Turns by outcome.',
    labelNames: ['outcome', 'code'],
  },
  {
    name: 'agentry_model_call_duration_seconds',
    type: 'histogram',
    help: 'Model call latency.',
    labelNames: ['provider', 'model'],
    buckets: [0.1, 1, 10],
  },
  { name: 'agentry_queue_jobs', type: 'gauge', help: 'Jobs by state.', labelNames: ['kind', 'state'] },
]

function metrics(problems: string[] = []) {
  return new PrometheusMetrics({
    definitions: DEFINITIONS,
    processMetrics: false,
    onProblem: (message) => problems.push(message),
  })
}

describe('Prometheus metrics', () => {
  it('renders declared metrics with their help and type before anything is recorded', async () => {
    const text = await metrics().render()
    expect(text).toContain('# HELP agentry_turns_total Turns by outcome.')
    expect(text).toContain('# TYPE agentry_model_call_duration_seconds histogram')
    expect(text).toContain('# TYPE agentry_queue_jobs gauge')
  })

  it('counts, observes into the declared buckets and sets gauges, per label set', async () => {
    const registry = metrics()
    registry.increment('agentry_turns_total', { outcome: 'replied' })
    registry.increment('agentry_turns_total', { outcome: 'replied' })
    registry.increment('agentry_turns_total', { outcome: 'failed', code: 'TIMEOUT' }, 3)
    registry.observe('agentry_model_call_duration_seconds', { provider: 'local', model: 'scripted' }, 0.5)
    registry.gauge('agentry_queue_jobs', { kind: 'kb.index', state: 'waiting' }, 7)
    registry.gauge('agentry_queue_jobs', { kind: 'kb.index', state: 'waiting' }, 4)
    const text = await registry.render()
    expect(text).toContain('agentry_turns_total{outcome="replied"} 2')
    expect(text).toContain('agentry_turns_total{outcome="failed",code="TIMEOUT"} 3')
    expect(text).toContain(
      'agentry_model_call_duration_seconds_bucket{le="0.1",provider="local",model="scripted"} 0',
    )
    expect(text).toContain(
      'agentry_model_call_duration_seconds_bucket{le="1",provider="local",model="scripted"} 1',
    )
    expect(text).toContain('agentry_model_call_duration_seconds_count{provider="local",model="scripted"} 1')
    expect(text).toContain('agentry_queue_jobs{kind="kb.index",state="waiting"} 4')
  })

  it('creates a metric nobody declared on first use', async () => {
    const registry = metrics()
    registry.increment('agentry_custom_total', { area: 'x' })
    expect(await registry.render()).toContain('agentry_custom_total{area="x"} 1')
  })

  it('drops calls that do not fit their metric, reports each metric once, and never throws', async () => {
    const problems: string[] = []
    const registry = metrics(problems)
    registry.observe('agentry_turns_total', { outcome: 'replied' }, 1)
    registry.observe('agentry_turns_total', { outcome: 'replied' }, 1)
    registry.increment('agentry_queue_jobs', { kind: 'x', shard: '1' })
    registry.gauge('agentry_queue_jobs', { kind: 'x', shard: '1' }, 1)
    expect(problems).toHaveLength(2)
    expect(problems[0]).toContain('agentry_turns_total is a counter')
    expect(await registry.render()).not.toContain('agentry_turns_total{')
  })

  it('adds the process metrics when asked', async () => {
    const registry = new PrometheusMetrics({ definitions: [], processMetrics: true })
    expect(await registry.render()).toContain('process_cpu_user_seconds_total')
  })
})
