import type { TurnResult, UsageGroupKey } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { collectTurn } from '../src/index.js'
import { createTestWorld } from './helpers.js'

describe('UsageService', () => {
  it('summarizes the usage of turns by agent and kind', async () => {
    const world = createTestWorld()
    const { context } = await world.company()
    const config = { providerOptions: { local: { rules: [{ when: { always: true }, reply: 'ok' }] } } }
    const a = (await world.agentry.agents.create(context, { name: 'A', config })).agent.id
    const b = (await world.agentry.agents.create(context, { name: 'B', config })).agent.id
    const results: TurnResult[] = []
    for (const agentId of [a, a, b]) {
      results.push(await collectTurn(world.agentry.orchestrator.run({ context, agentId, message: 'hello' })))
    }
    const rows = await world.agentry.usage.summarize(context, {
      billingPeriod: '2026-11',
      groupBy: ['agent', 'kind'],
    })
    const inputOf = (agentId: string) =>
      results
        .filter((result) => result.agentId === agentId)
        .reduce((sum, result) => sum + result.usage.inputTokens, 0)
    expect(rows.map((row) => [row.agentId, row.kind, row.events, row.inputTokens])).toEqual(
      [
        [a, 'llm.tokens', 2, inputOf(a)],
        [b, 'llm.tokens', 1, inputOf(b)],
      ].sort((left, right) => String(left[0]).localeCompare(String(right[0]))),
    )
    const total = await world.agentry.usage.summarize(context, {})
    expect(total).toMatchObject([{ events: 3 }])
  })

  it('names bad periods, ranges and groupings', async () => {
    const world = createTestWorld()
    const { context } = await world.company()
    const issues = async (query: Parameters<typeof world.agentry.usage.summarize>[1]) =>
      world.agentry.usage.summarize(context, query).then(
        () => [],
        (error: { details: { issues: { path: string }[] } }) =>
          error.details.issues.map((issue) => issue.path),
      )
    expect(await issues({ billingPeriod: '2026-13' })).toEqual(['billingPeriod'])
    expect(await issues({ from: new Date('2026-02-01'), to: new Date('2026-01-01') })).toEqual(['to'])
    expect(await issues({ from: new Date('2024-01-01'), to: new Date('2026-01-01') })).toEqual(['to'])
    expect(await issues({ groupBy: ['agent', 'agent'] })).toEqual(['groupBy.1'])
    expect(await issues({ groupBy: ['colour' as UsageGroupKey] })).toEqual(['groupBy.0'])
  })

  it('needs billing:view', async () => {
    const world = createTestWorld()
    const { context } = await world.company()
    const key = await world.agentry.apiKeys.create(context, { name: 'chat', permissions: ['chat:send'] })
    const chatOnly = { actor: await world.agentry.apiKeys.authenticate(key.key) }
    await expect(world.agentry.usage.summarize(chatOnly, {})).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })
})
