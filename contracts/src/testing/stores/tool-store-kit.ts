import { expect } from 'vitest'
import type { AgentId, SessionId, ToolId } from '../../ids.js'
import { expectCoreError } from '../expect-core-error.js'
import { makeTool, makeToolCall, newId } from '../fixtures.js'
import { allPages, idsOf, type StoreKit, seedTenant, timeline } from './store-kit-context.js'

/** `ToolStore` and `ToolCallStore`. */
export function describeToolStores({ stores, test }: StoreKit): void {
  test('tools: create, get, getByNames', async () => {
    const { scope } = await seedTenant(stores())
    const tool = makeTool(scope, {
      kind: 'http',
      builtin: null,
      http: {
        method: 'GET',
        url: 'https://api.example.com/orders/{id}',
        auth: { type: 'bearer', secretName: 'crm' },
      },
      redact: ['card.number'],
      rateLimitPerMinute: 30,
      budget: { perDay: 100, perMonth: null },
      outputSchema: { type: 'object' },
    })
    const other = await stores().tools.create(scope, makeTool(scope))
    expect(await stores().tools.create(scope, tool)).toEqual(tool)
    expect(await stores().tools.get(scope, tool.id)).toEqual(tool)
    expect(await stores().tools.get(scope, newId<ToolId>())).toBeNull()
    const found = await stores().tools.getByNames(scope, [tool.name, other.name, 'test.missing'])
    expect(new Set(idsOf(found))).toEqual(new Set([tool.id, other.id]))
    expect(await stores().tools.getByNames(scope, [])).toEqual([])
  })

  test('tools: names are unique per company, ids unique', async () => {
    const { scope } = await seedTenant(stores())
    const other = await seedTenant(stores())
    const tool = await stores().tools.create(scope, makeTool(scope))
    await expectCoreError(stores().tools.create(scope, makeTool(scope, { name: tool.name })), 'CONFLICT')
    await expectCoreError(stores().tools.create(scope, { ...tool, name: 'test.other_name' }), 'CONFLICT')
    await stores().tools.create(other.scope, makeTool(other.scope, { name: tool.name }))
  })

  test('tools: list is by name and pages with a cursor', async () => {
    const { scope } = await seedTenant(stores())
    const names = ['crm.lookup', 'billing.refund', 'zendesk.ticket', 'crm.create', 'app.echo']
    for (const name of names) await stores().tools.create(scope, makeTool(scope, { name }))
    const pages = await allPages((page) => stores().tools.list(scope, page), 2)
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1])
    expect(pages.flat().map((tool) => tool.name)).toEqual([...names].sort())
  })

  test('tools: update patches fields and refuses a taken name; delete removes once', async () => {
    const { scope } = await seedTenant(stores())
    const tool = await stores().tools.create(scope, makeTool(scope))
    const taken = await stores().tools.create(scope, makeTool(scope))
    const updatedAt = new Date(tool.updatedAt.getTime() + 1000)
    const patch = {
      description: 'Finds orders.',
      timeoutMs: 2000,
      retry: { attempts: 3, backoffMs: 100 },
      updatedAt,
    }
    expect(await stores().tools.update(scope, tool.id, patch)).toEqual({ ...tool, ...patch })
    await expectCoreError(stores().tools.update(scope, tool.id, { name: taken.name, updatedAt }), 'CONFLICT')
    expect(await stores().tools.get(scope, tool.id)).toEqual({ ...tool, ...patch })
    expect(await stores().tools.update(scope, newId<ToolId>(), patch)).toBeNull()
    expect(await stores().tools.delete(scope, tool.id)).toBe(true)
    expect(await stores().tools.get(scope, tool.id)).toBeNull()
    expect(await stores().tools.delete(scope, tool.id)).toBe(false)
  })

  test('tools: another company can neither see nor change them', async () => {
    const owner = await seedTenant(stores())
    const intruder = await seedTenant(stores())
    const tool = await stores().tools.create(owner.scope, makeTool(owner.scope))
    const scope = intruder.scope
    expect(await stores().tools.get(scope, tool.id)).toBeNull()
    expect(await stores().tools.getByNames(scope, [tool.name])).toEqual([])
    expect((await stores().tools.list(scope)).items).toEqual([])
    expect(
      await stores().tools.update(scope, tool.id, { description: 'pwned', updatedAt: new Date() }),
    ).toBeNull()
    expect(await stores().tools.delete(scope, tool.id)).toBe(false)
    expect(await stores().tools.get(owner.scope, tool.id)).toEqual(tool)
  })

  test('tool calls: append is idempotent on id and never changes a stored record', async () => {
    const { scope } = await seedTenant(stores())
    const record = makeToolCall(scope, {
      arguments: { card: '[REDACTED]' },
      result: null,
      status: 'error',
      errorCode: 'TIMEOUT',
      errorMessage: 'slow',
    })
    await stores().toolCalls.append(scope, record)
    await stores().toolCalls.append(scope, { ...record, status: 'ok', errorCode: null, errorMessage: null })
    expect((await stores().toolCalls.list(scope)).items).toEqual([record])
  })

  test('tool calls: list is newest first, filters, and pages with a cursor', async () => {
    const { scope } = await seedTenant(stores())
    const at = timeline()
    const agentId = newId<AgentId>()
    const sessionId = newId<SessionId>()
    const records = [1, 2, 3, 4, 5].map((offset) =>
      makeToolCall(scope, {
        createdAt: at(offset),
        toolName: offset % 2 === 0 ? 'crm.lookup' : 'billing.refund',
        agentId: offset <= 3 ? agentId : null,
        sessionId: offset === 5 ? sessionId : null,
      }),
    )
    for (const record of records) await stores().toolCalls.append(scope, record)
    const pages = await allPages((page) => stores().toolCalls.list(scope, {}, page), 2)
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1])
    expect(pages.flat()).toEqual([...records].reverse())
    const list = async (filter: object) => idsOf((await stores().toolCalls.list(scope, filter)).items)
    expect(await list({ toolName: 'crm.lookup' })).toEqual([records[3]!.id, records[1]!.id])
    expect(await list({ agentId })).toEqual(idsOf(records.slice(0, 3)).reverse())
    expect(await list({ sessionId })).toEqual([records[4]!.id])
  })

  test('tool calls: countSince counts calls at or after a time, except denied ones', async () => {
    const { scope } = await seedTenant(stores())
    const at = timeline()
    const make = (offset: number, status: 'ok' | 'error' | 'denied', toolName = 'crm.lookup') =>
      stores().toolCalls.append(scope, makeToolCall(scope, { createdAt: at(offset), status, toolName }))
    await make(1, 'ok')
    await make(2, 'ok')
    await make(3, 'error')
    await make(4, 'denied')
    await make(5, 'ok', 'billing.refund')
    expect(await stores().toolCalls.countSince(scope, 'crm.lookup', at(2))).toBe(2)
    expect(await stores().toolCalls.countSince(scope, 'crm.lookup', at(0))).toBe(3)
    expect(await stores().toolCalls.countSince(scope, 'crm.lookup', at(6))).toBe(0)
  })

  test('tool calls: another company sees none of them', async () => {
    const owner = await seedTenant(stores())
    const intruder = await seedTenant(stores())
    const record = makeToolCall(owner.scope)
    await stores().toolCalls.append(owner.scope, record)
    expect((await stores().toolCalls.list(intruder.scope)).items).toEqual([])
    expect(await stores().toolCalls.countSince(intruder.scope, record.toolName, new Date(0))).toBe(0)
    expect((await stores().toolCalls.list(owner.scope)).items).toEqual([record])
  })
}
