import type { CompanyId } from '@agentry/contracts'
import { tenantScope } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { collectTurn } from '../src/index.js'
import { createTestWorld } from './helpers.js'

const rules = (reply: string) => ({ local: { rules: [{ when: { always: true }, reply }] } })

async function failure(promise: Promise<unknown>) {
  return promise.then(
    () => null,
    (reason: unknown) =>
      reason as { code: string; message: string; details?: { issues?: { path: string; message: string }[] } },
  )
}

describe('agents', () => {
  it('creates version 1 with defaults, and every config change makes a new immutable version', async () => {
    const world = createTestWorld()
    const { context } = await world.company()
    const created = await world.agentry.agents.create(context, {
      name: ' Support ',
      config: { systemPrompt: 'v1' },
      note: 'first',
    })
    expect(created.agent).toMatchObject({
      name: 'Support',
      kind: 'chat',
      status: 'active',
      currentVersion: 1,
      latestVersion: 1,
    })
    expect(created.version.config.memory).toEqual({ maxMessages: 20, maxTokens: 8000 })
    expect(created.version.author).toMatch(/^api-key:/)
    const id = created.agent.id
    world.clock.advance(1000)
    const updated = await world.agentry.agents.updateConfig(context, id, {
      config: { systemPrompt: 'v2' },
      note: 'second',
    })
    expect(updated.agent).toMatchObject({ currentVersion: 2, latestVersion: 2 })
    expect((await world.agentry.agents.getVersion(context, id, 1)).config.systemPrompt).toBe('v1')
    const versions = await world.agentry.agents.listVersions(context, id)
    expect(versions.items.map((version) => [version.version, version.note])).toEqual([
      [2, 'second'],
      [1, 'first'],
    ])
  })

  it('rolls back to an older version, and turns run on it', async () => {
    const world = createTestWorld()
    const { context, companyId } = await world.company()
    const { agent } = await world.agentry.agents.create(context, {
      name: 'A',
      config: { providerOptions: rules('old answer') },
    })
    await world.agentry.agents.updateConfig(context, agent.id, {
      config: { providerOptions: rules('new answer') },
    })
    const send = () =>
      collectTurn(world.agentry.orchestrator.run({ context, agentId: agent.id, message: 'hi' }))
    expect((await send()).message.content).toBe('new answer')
    const rolledBack = await world.agentry.agents.rollback(context, agent.id, 1)
    expect(rolledBack).toMatchObject({ currentVersion: 1, latestVersion: 2 })
    const result = await send()
    expect(result).toMatchObject({ agentVersion: 1, message: { content: 'old answer' } })
    expect((await failure(world.agentry.agents.rollback(context, agent.id, 3)))?.code).toBe('NOT_FOUND')
    const audit = await world.stores.audit.list(tenantScope(companyId as CompanyId), { resourceId: agent.id })
    expect(audit.items.map((entry) => entry.action)).toEqual([
      'agent.rollback',
      'agent.update',
      'agent.create',
    ])
    expect(audit.items[0]?.details).toEqual({ from: 2, to: 1 })
  })

  it('reports a concurrent edit as CONFLICT with what to do', async () => {
    const world = createTestWorld()
    const { context } = await world.company()
    const { agent } = await world.agentry.agents.create(context, { name: 'A' })
    const results = await Promise.allSettled([
      world.agentry.agents.updateConfig(context, agent.id, { config: { systemPrompt: 'one' } }),
      world.agentry.agents.updateConfig(context, agent.id, { config: { systemPrompt: 'two' } }),
    ])
    const rejected = results.filter((result) => result.status === 'rejected')
    expect(rejected).toHaveLength(1)
    expect(rejected[0]?.reason).toMatchObject({ code: 'CONFLICT' })
    expect(String((rejected[0] as PromiseRejectedResult).reason)).toContain('reload it')
    const stale = await failure(
      world.agentry.agents.updateConfig(context, agent.id, { config: {}, expectedVersion: 1 }),
    )
    expect(stale?.code).toBe('CONFLICT')
  })

  it('names every bad config field and why', async () => {
    const world = createTestWorld()
    const { context } = await world.company()
    const error = await failure(
      world.agentry.agents.create(context, {
        name: 'A',
        config: { model: { temperature: 5 }, tools: { allow: ['Not A Tool'] }, colour: 'red' },
      }),
    )
    expect(error?.code).toBe('INVALID_INPUT')
    const paths = error?.details?.issues?.map((issue) => issue.path)
    expect(paths).toEqual(expect.arrayContaining(['model.temperature', 'tools.allow.0', '']))
    expect(error?.message).toContain('model.temperature')
    expect(error?.message).toContain('namespace.name')
  })

  it('rejects an output JSON Schema that does not compile, with the ajv message', async () => {
    const world = createTestWorld()
    const { context } = await world.company()
    const error = await failure(
      world.agentry.agents.create(context, {
        name: 'A',
        config: { output: { type: 'json', schema: { type: 'nonsense' } } },
      }),
    )
    expect(error?.details?.issues).toEqual([
      { path: 'output.schema', message: expect.stringContaining('schema is invalid') },
    ])
  })

  it('checks provider options through the injected validator', async () => {
    const world = createTestWorld()
    const { context } = await world.company()
    const error = await failure(
      world.agentry.agents.create(context, {
        name: 'A',
        config: { providerOptions: { local: { rules: [{ when: { always: true } }] } } },
      }),
    )
    expect(error?.code).toBe('INVALID_INPUT')
    expect(error?.details?.issues?.[0]?.path).toMatch(/^providerOptions\.local\.rules\.0/)
    expect(error?.message).toContain('exactly one of reply, toolCalls, json, refuse')
  })

  it('renames, disables, enables and deletes, each audited', async () => {
    const world = createTestWorld()
    const { context, companyId } = await world.company()
    const { agent } = await world.agentry.agents.create(context, {
      name: 'A',
      config: { providerOptions: rules('hi') },
    })
    expect((await world.agentry.agents.rename(context, agent.id, 'B')).name).toBe('B')
    expect(
      (await failure(world.agentry.agents.rename(context, agent.id, '  ')))?.details?.issues?.[0]?.path,
    ).toBe('name')
    expect((await world.agentry.agents.setStatus(context, agent.id, 'disabled')).status).toBe('disabled')
    const refused = await failure(
      collectTurn(world.agentry.orchestrator.run({ context, agentId: agent.id, message: 'hi' })),
    )
    expect(refused?.code).toBe('CONFLICT')
    await world.agentry.agents.setStatus(context, agent.id, 'active')
    expect(
      (await collectTurn(world.agentry.orchestrator.run({ context, agentId: agent.id, message: 'hi' })))
        .message.content,
    ).toBe('hi')
    await world.agentry.agents.delete(context, agent.id)
    expect((await failure(world.agentry.agents.get(context, agent.id)))?.code).toBe('NOT_FOUND')
    const audit = await world.stores.audit.list(tenantScope(companyId as CompanyId), {
      resourceType: 'agent',
    })
    expect(audit.items.map((entry) => entry.action)).toEqual([
      'agent.delete',
      'agent.enable',
      'agent.disable',
      'agent.rename',
      'agent.create',
    ])
  })

  it('keeps agents of one company invisible to another', async () => {
    const world = createTestWorld()
    const a = await world.company('A')
    const b = await world.company('B')
    const { agent } = await world.agentry.agents.create(a.context, { name: 'A' })
    expect((await failure(world.agentry.agents.get(b.context, agent.id)))?.code).toBe('NOT_FOUND')
    expect(
      (await failure(world.agentry.agents.updateConfig(b.context, agent.id, { config: {} })))?.code,
    ).toBe('NOT_FOUND')
    expect((await failure(world.agentry.agents.delete(b.context, agent.id)))?.code).toBe('NOT_FOUND')
    expect((await world.agentry.agents.list(b.context)).items).toEqual([])
  })
})
