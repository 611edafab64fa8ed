import type { JobId } from '@agentry/contracts'
import { CoreError, tenantScope } from '@agentry/contracts'
import { waitUntil } from '@agentry/contracts/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { SecretService } from '../src/index.js'
import { scripted } from '../src/testing/index.js'
import { PLATFORM } from './helpers.js'
import { createToolWorld, TestVault, type ToolWorld } from './tool-world.js'

async function rejection(promise: Promise<unknown>): Promise<CoreError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  )
  if (!CoreError.isInstance(error)) throw new Error(`expected a CoreError, got ${String(error)}`)
  return error
}

let world: ToolWorld
afterEach(() => world?.close())

describe('SecretService', () => {
  it('stores values encrypted, lists names only, replaces, reveals internally and deletes', async () => {
    world = createToolWorld()
    const { context, companyId } = await world.company()
    const created = await world.agentry.secrets.put(context, { name: 'crm-token', value: 'v1-secret' })
    expect(created).toEqual({
      name: 'crm-token',
      keyId: 'k1',
      createdAt: expect.any(Date),
      updatedAt: expect.any(Date),
    })
    world.clock.advance(1000)
    await world.agentry.secrets.put(context, { name: 'crm-token', value: 'v2-secret' })
    const scope = tenantScope(companyId)
    const stored = await world.stores.secrets.getByName(scope, 'crm-token')
    expect(JSON.stringify(stored)).not.toContain('v2-secret')
    expect(await world.agentry.secrets.reveal(scope, 'crm-token')).toBe('v2-secret')
    const listed = await world.agentry.secrets.list(context)
    expect(listed.items).toHaveLength(1)
    expect(JSON.stringify(listed)).not.toContain('secret"')
    expect(listed.items[0]?.createdAt).toEqual(created.createdAt)
    await world.agentry.secrets.delete(context, 'crm-token')
    expect(await world.agentry.secrets.reveal(scope, 'crm-token')).toBeNull()
    expect((await rejection(world.agentry.secrets.delete(context, 'crm-token'))).code).toBe('NOT_FOUND')
    const audit = await world.stores.audit.list(scope, {}, { limit: 20 })
    const secretEntries = audit.items.filter((entry) => entry.resourceType === 'secret')
    expect(secretEntries.map((entry) => entry.action)).toEqual(['secret.delete', 'secret.put', 'secret.put'])
    expect(JSON.stringify(secretEntries)).not.toContain('v1-secret')
  })

  it.each([
    [{ name: 'has space', value: 'x' }, 'name'],
    [{ name: 'x'.repeat(65), value: 'x' }, 'name'],
    [{ name: 'ok', value: '' }, 'value'],
    [{ name: 'ok', value: 'x'.repeat(16 * 1024 + 1) }, 'value'],
  ])('refuses %# with INVALID_INPUT on %s', async (input, path) => {
    world = createToolWorld()
    const { context } = await world.company()
    const error = await rejection(world.agentry.secrets.put(context, input))
    expect(error.code).toBe('INVALID_INPUT')
    expect(error.details?.issues).toEqual([expect.objectContaining({ path })])
  })

  it("keeps companies apart: another company's secret is invisible and undeletable", async () => {
    world = createToolWorld()
    const acme = await world.company('Acme')
    const globex = await world.company('Globex')
    await world.agentry.secrets.put(acme.context, { name: 'token', value: 'acme-value' })
    expect((await world.agentry.secrets.list(globex.context)).items).toEqual([])
    expect(await world.agentry.secrets.reveal(tenantScope(globex.companyId), 'token')).toBeNull()
    expect((await rejection(world.agentry.secrets.delete(globex.context, 'token'))).code).toBe('NOT_FOUND')
    expect(await world.agentry.secrets.reveal(tenantScope(acme.companyId), 'token')).toBe('acme-value')
  })

  it('rotates every secret to the current key: values still decrypt, key ids change, runs twice safely', async () => {
    world = createToolWorld()
    const acme = await world.company('Acme')
    const globex = await world.company('Globex')
    await world.agentry.secrets.put(acme.context, { name: 'a', value: 'alpha-value' })
    await world.agentry.secrets.put(globex.context, { name: 'b', value: 'beta-value' })
    const audit = world.agentry.audit
    const next = new SecretService(
      world.stores.secrets,
      new TestVault('k2', new Set(['k1', 'k2'])),
      audit,
      world.clock,
      {
        next: () => crypto.randomUUID(),
      },
    )
    expect((await rejection(next.rotate(acme.context))).code).toBe('FORBIDDEN')
    const report = await next.rotate(PLATFORM)
    expect(report).toEqual({ checked: 2, rotated: 2, current: 0, changed: 0, failed: [], keyId: 'k2' })
    expect(await next.reveal(tenantScope(acme.companyId), 'a')).toBe('alpha-value')
    expect(await next.reveal(tenantScope(globex.companyId), 'b')).toBe('beta-value')
    expect((await next.list(acme.context)).items[0]?.keyId).toBe('k2')
    expect(await next.rotate(PLATFORM)).toMatchObject({ checked: 2, rotated: 0, current: 2 })
  })

  it('reports secrets under a key it no longer has, and never overwrites a value changed meanwhile', async () => {
    world = createToolWorld()
    const { context, companyId } = await world.company()
    await world.agentry.secrets.put(context, { name: 'a', value: 'alpha-value' })
    const audit = world.agentry.audit
    const ids = { next: () => crypto.randomUUID() }
    const forgetful = new SecretService(world.stores.secrets, new TestVault('k3'), audit, world.clock, ids)
    expect(await forgetful.rotate(PLATFORM)).toMatchObject({
      rotated: 0,
      failed: [{ companyId, name: 'a', code: 'UNAVAILABLE' }],
    })
    const racing = new SecretService(
      {
        ...world.stores.secrets,
        listAll: world.stores.secrets.listAll.bind(world.stores.secrets),
        replaceValue: async () => false,
      },
      new TestVault('k2', new Set(['k1', 'k2'])),
      audit,
      world.clock,
      ids,
    )
    expect(await racing.rotate(PLATFORM)).toMatchObject({ rotated: 0, changed: 1 })
  })
})

describe('workflow tools and job status', () => {
  it('enqueues a job for the tenant with the arguments and returns its id; the job is visible only to its company', async () => {
    world = createToolWorld()
    const acme = await world.company('Acme')
    const globex = await world.company('Globex')
    await world.agentry.toolDefinitions.create(acme.context, {
      name: 'ops.refund',
      kind: 'workflow',
      description: 'Starts a refund.',
      inputSchema: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
      workflow: { jobKind: 'workflow.refund' },
    })
    const seen: unknown[] = []
    const worker = world.jobs.process('workflow.refund', async (job) => {
      seen.push({ companyId: job.companyId, payload: job.payload })
      return { refunded: true }
    })
    const agentId = await world.agent(acme.context, {
      tools: { allow: ['ops.refund'] },
      providerOptions: scripted([
        {
          when: { contains: 'refund' },
          toolCalls: [{ name: 'ops.refund', arguments: { orderId: 'o-1' } }],
          afterTools: 'Started: {{tool.ops.refund}}',
        },
      ]),
    })
    const result = await world.chat(acme.context, agentId, 'please refund my order')
    const jobId = /"jobId":"([^"]+)"/.exec(result.message.content)?.[1] as JobId
    expect(result.message.content).toContain('"status":"waiting"')
    await waitUntil(async () => (await world.agentry.jobs.get(acme.context, jobId)).status === 'completed')
    await worker.stop()
    expect(seen).toEqual([
      {
        companyId: acme.companyId,
        payload: expect.objectContaining({ tool: 'ops.refund', arguments: { orderId: 'o-1' }, agentId }),
      },
    ])
    const view = await world.agentry.jobs.get(acme.context, jobId)
    expect(view).toMatchObject({
      id: jobId,
      kind: 'workflow.refund',
      status: 'completed',
      result: { refunded: true },
    })
    expect(view).not.toHaveProperty('payload')
    expect((await rejection(world.agentry.jobs.get(globex.context, jobId))).code).toBe('NOT_FOUND')
    expect((await rejection(world.agentry.jobs.get(acme.context, 'no-such-job'))).code).toBe('NOT_FOUND')
  })

  it('defaults the job kind to workflow.<tool name>', async () => {
    world = createToolWorld()
    const { context } = await world.company()
    const tool = await world.agentry.toolDefinitions.create(context, {
      name: 'ops.sync',
      kind: 'workflow',
      description: 'Sync.',
    })
    const result = await world.agentry.toolDefinitions.test(context, tool.id, {})
    const jobId = (result.ok && (result.result as { jobId: JobId }).jobId) as JobId
    expect((await world.agentry.jobs.get(context, jobId)).kind).toBe('workflow.ops.sync')
  })
})

describe('builtin tools', () => {
  it('time.now answers in the asked time zone and refuses unknown zones', async () => {
    world = createToolWorld()
    const { context } = await world.company()
    const tool = await world.agentry.toolDefinitions.create(context, {
      name: 'acme.clock',
      kind: 'builtin',
      description: 'Clock.',
      inputSchema: { type: 'object', properties: { timeZone: { type: 'string' } } },
      builtin: { name: 'time.now' },
    })
    const tokyo = await world.agentry.toolDefinitions.test(context, tool.id, { timeZone: 'Asia/Tokyo' })
    // The world's clock reads 2026-11-25T10:00:00Z.
    expect(tokyo).toMatchObject({
      ok: true,
      result: { iso: '2026-11-25T19:00:00+09:00', weekday: 'Wednesday', utcOffset: '+09:00' },
    })
    expect(await world.agentry.toolDefinitions.test(context, tool.id, {})).toMatchObject({
      result: { iso: '2026-11-25T10:00:00Z', timeZone: 'UTC' },
    })
    expect(
      await world.agentry.toolDefinitions.test(context, tool.id, { timeZone: 'Mars/Olympus' }),
    ).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('not an IANA time zone') },
    })
  })

  it('registers time.now and math.evaluate by default, knowledge.search only with a retriever', () => {
    world = createToolWorld()
    expect(world.agentry.tools.builtinNames()).toEqual(['math.evaluate', 'time.now'])
    const withRetriever = createToolWorld({
      retriever: { retrieve: async () => ({ passages: [], embedding: null }) },
    })
    expect(withRetriever.agentry.tools.builtinNames()).toContain('knowledge.search')
    return withRetriever.close()
  })
})
