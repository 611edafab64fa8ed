import type { AgentId, ApiKeyId, QuotaId, TurnEvent } from '@agentry/contracts'
import { tenantScope } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import type { RequestContext } from '../../src/index.js'
import { type BillingTenant, billingTenant, createProbedWorld, perMillion, utc } from './billing-world.js'

async function run(tenant: BillingTenant, agentId: AgentId, context: RequestContext = tenant.context) {
  const events: TurnEvent[] = []
  for await (const event of tenant.world.agentry.orchestrator.run({
    context,
    agentId,
    message: 'hello there',
  }))
    events.push(event)
  return events
}

async function setup() {
  const world = createProbedWorld()
  const tenant = await billingTenant(world)
  const agentId = await tenant.createAgent()
  return { world, tenant, agentId, quotas: world.agentry.billing.quotas }
}

const errorOf = (events: readonly TurnEvent[]) => {
  const last = events.at(-1)
  return last?.type === 'error' ? last.error : null
}

describe('quotas before model calls', () => {
  it('refuses a company at its token cap with QUOTA_EXCEEDED before the turn starts: no model call, nothing stored', async () => {
    const { world, tenant, agentId, quotas } = await setup()
    await tenant.append({ occurredAt: utc(11, 2), inputTokens: 7000, outputTokens: 3000 })
    await quotas.put(tenant.context, { subject: { type: 'company' }, metric: 'tokens', limit: 10_000 })
    const events = await run(tenant, agentId)
    expect(events.map((event) => event.type)).toEqual(['error'])
    expect(errorOf(events)).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      message: expect.stringContaining(
        'monthly token quota of the company is used up: 10000 tokens of 10000 tokens',
      ),
      details: {
        subject: { type: 'company' },
        metric: 'tokens',
        limit: 10_000,
        used: 10_000,
        period: '2026-11',
      },
    })
    expect(world.model.calls).toBe(0)
    const stored = await world.stores.usage.list(tenantScope(tenant.companyId))
    expect(stored.items).toHaveLength(1)
  })

  it('refuses when the call’s estimate (prompt tokens plus maxOutputTokens) would pass the cap', async () => {
    const { world, tenant, agentId, quotas } = await setup()
    await tenant.append({ occurredAt: utc(11, 2), inputTokens: 9000, outputTokens: 0 })
    await quotas.put(tenant.context, { subject: { type: 'company' }, metric: 'tokens', limit: 10_000 })
    const events = await run(tenant, agentId)
    expect(events[0]?.type).toBe('turn-start')
    const error = errorOf(events)
    expect(error?.code).toBe('QUOTA_EXCEEDED')
    // maxOutputTokens defaults to 1024; the prompt adds a few tokens more.
    expect(error?.details?.estimate).toBeGreaterThan(1024)
    expect(error?.message).toContain('this call needs up to')
    expect(world.model.calls).toBe(0)
  })

  it('caps one agent without touching the company’s other agents', async () => {
    const { world, tenant, agentId, quotas } = await setup()
    const other = await tenant.createAgent()
    await tenant.append({ occurredAt: utc(11, 2), agentId, inputTokens: 500 })
    await tenant.append({ occurredAt: utc(11, 2), agentId: other, inputTokens: 50_000 })
    await quotas.put(tenant.context, { subject: { type: 'agent', agentId }, metric: 'tokens', limit: 500 })
    expect(errorOf(await run(tenant, agentId))).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      message: expect.stringContaining(`token quota of the agent ${agentId}`),
    })
    expect(world.model.calls).toBe(0)
    expect((await run(tenant, other)).at(-1)?.type).toBe('turn-end')
    expect(world.model.calls).toBe(1)
  })

  it('caps one API key without touching the company’s other keys', async () => {
    const { world, tenant, agentId, quotas } = await setup()
    const { agentry } = world
    const capped = await agentry.apiKeys.create(tenant.context, {
      name: 'capped',
      permissions: ['chat:send'],
    })
    const free = await agentry.apiKeys.create(tenant.context, { name: 'free', permissions: ['chat:send'] })
    const cappedContext = { actor: await agentry.apiKeys.authenticate(capped.key) }
    const freeContext = { actor: await agentry.apiKeys.authenticate(free.key) }
    await quotas.put(tenant.context, {
      subject: { type: 'api-key', apiKeyId: capped.apiKey.id as ApiKeyId },
      metric: 'tokens',
      limit: 2000,
    })
    expect((await run(tenant, agentId, cappedContext)).at(-1)?.type).toBe('turn-end')
    await tenant.append({ occurredAt: utc(11, 3), apiKeyId: capped.apiKey.id as ApiKeyId, inputTokens: 2000 })
    expect(errorOf(await run(tenant, agentId, cappedContext))).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      message: expect.stringContaining(`API key ${capped.apiKey.id}`),
    })
    expect((await run(tenant, agentId, freeContext)).at(-1)?.type).toBe('turn-end')
    expect(world.model.calls).toBe(2)
  })

  it('warns once at 80% with a quota-warning event and a result warning, and the turn goes on', async () => {
    const { world, tenant, agentId, quotas } = await setup()
    await tenant.append({ occurredAt: utc(11, 2), inputTokens: 7000, outputTokens: 0 })
    const quota = await quotas.put(tenant.context, {
      subject: { type: 'company' },
      metric: 'tokens',
      limit: 10_000,
    })
    const events = await run(tenant, agentId)
    const warnings = events.filter((event) => event.type === 'quota-warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatchObject({
      warning: { quotaId: quota.id, metric: 'tokens', limit: 10_000, period: '2026-11' },
    })
    const warning = warnings[0]?.type === 'quota-warning' ? warnings[0].warning : null
    expect(warning?.used).toBe(7000 + (warning?.estimate ?? 0))
    const end = events.at(-1)
    expect(end?.type).toBe('turn-end')
    if (end?.type === 'turn-end') expect(end.result.warnings).toContain(warning?.message)
    expect(warning?.message).toMatch(/at 8\d%/)
    expect(world.model.calls).toBe(1)
  })

  it('counts spend at list price in micro-units of the plan’s currency', async () => {
    const { world, tenant, agentId, quotas } = await setup()
    await tenant.usePlan([
      perMillion('llm.input_tokens', '*', 2_000_000),
      perMillion('llm.output_tokens', '*', 8_000_000),
    ])
    // 1,000,000 in x 2 USD/M + 250,000 out x 8 USD/M = 4 USD = 4,000,000 micro-USD.
    await tenant.append({ occurredAt: utc(11, 2), inputTokens: 1_000_000, outputTokens: 250_000 })
    await quotas.put(tenant.context, { subject: { type: 'company' }, metric: 'spend', limit: 4_000_000 })
    expect((await quotas.list(tenant.context))[0]).toMatchObject({ metric: 'spend', used: 4_000_000 })
    expect(errorOf(await run(tenant, agentId))).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      message: expect.stringContaining('spend quota (USD) of the company is used up: 4.00 USD of 4.00 USD'),
    })
    await quotas.put(tenant.context, { subject: { type: 'company' }, metric: 'spend', limit: 5_000_000 })
    expect((await run(tenant, agentId)).at(-1)?.type).toBe('turn-end')
    expect(world.model.calls).toBe(1)
  })

  it('reads usage once per subject with a quota, and not at all for a company without one that applies', async () => {
    const { world, tenant, agentId, quotas } = await setup()
    const other = await tenant.createAgent()
    await quotas.put(tenant.context, {
      subject: { type: 'agent', agentId: other },
      metric: 'tokens',
      limit: 10,
    })
    world.recorded.reset()
    await run(tenant, agentId)
    expect(world.recorded.calls).toEqual(['turns.load', 'turns.commit'])
    await quotas.put(tenant.context, { subject: { type: 'company' }, metric: 'tokens', limit: 1_000_000 })
    await quotas.put(tenant.context, {
      subject: { type: 'agent', agentId },
      metric: 'tokens',
      limit: 1_000_000,
    })
    world.recorded.reset()
    await run(tenant, agentId)
    expect(world.recorded.calls.sort()).toEqual([
      'turns.commit',
      'turns.load',
      'usage.summarize',
      'usage.summarize',
    ])
  })
})

describe('QuotaService', () => {
  it('keeps one quota per subject and metric, lists usage this period, deletes once', async () => {
    const { tenant, agentId, quotas } = await setup()
    await tenant.append({ occurredAt: utc(11, 2), agentId, inputTokens: 30, outputTokens: 12 })
    await tenant.append({ occurredAt: utc(10, 30), agentId, inputTokens: 1000 })
    const first = await quotas.put(tenant.context, {
      subject: { type: 'agent', agentId },
      metric: 'tokens',
      limit: 100,
    })
    const raised = await quotas.put(tenant.context, {
      subject: { type: 'agent', agentId },
      metric: 'tokens',
      limit: 900,
    })
    expect(raised.id).toBe(first.id)
    expect(await quotas.list(tenant.context)).toEqual([{ ...raised, period: '2026-11', used: 42 }])
    await quotas.delete(tenant.context, raised.id)
    await expect(quotas.delete(tenant.context, raised.id)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(await quotas.list(tenant.context)).toEqual([])
  })

  it('names bad input, unknown subjects, and keeps companies apart', async () => {
    const { world, tenant, quotas } = await setup()
    const bad = await quotas
      .put(tenant.context, { subject: { type: 'team' } as never, metric: 'coins' as never, limit: -1 })
      .catch((error: { code: string; details: { issues: { path: string }[] } }) => error)
    expect(bad).toMatchObject({ code: 'INVALID_INPUT' })
    expect(
      (bad as { details: { issues: { path: string }[] } }).details.issues.map((issue) => issue.path),
    ).toEqual(['subject', 'metric', 'limit'])
    const stranger = '01900000-0000-7000-8000-000000000000' as AgentId
    await expect(
      quotas.put(tenant.context, {
        subject: { type: 'agent', agentId: stranger },
        metric: 'tokens',
        limit: 1,
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' })
    const quota = await quotas.put(tenant.context, {
      subject: { type: 'company' },
      metric: 'tokens',
      limit: 5,
    })
    const other = await billingTenant(world, 'Other')
    expect(await quotas.list(other.context)).toEqual([])
    await expect(quotas.delete(other.context, quota.id as QuotaId)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
    const key = await world.agentry.apiKeys.create(tenant.context, {
      name: 'view',
      permissions: ['billing:view'],
    })
    const viewer = { actor: await world.agentry.apiKeys.authenticate(key.key) }
    await expect(
      quotas.put(viewer, { subject: { type: 'company' }, metric: 'tokens', limit: 1 }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect(await quotas.list(viewer)).toHaveLength(1)
  })
})
