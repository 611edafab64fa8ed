import type { ToolCallStore } from '@agentry/contracts'
import { createUuidV7Generator, systemClock, systemScope, tenantScope } from '@agentry/contracts'
import { createMemoryStores } from '@agentry/memory'
import { describe, expect, it } from 'vitest'
import { JsonSchemaValidator, type ResolvedTool, ToolExecutor, ToolRegistry } from '../src/index.js'
import { createTestTools } from '../src/testing/index.js'

const scope = tenantScope('0190a0a0-0000-7000-8000-0000000000c1' as never)

describe('ToolRegistry', () => {
  it('refuses bad and duplicate names', () => {
    const registry = new ToolRegistry()
    const tool = { name: 'time.now', description: '', inputSchema: {}, execute: async () => null }
    registry.register(tool)
    expect(() => registry.register(tool)).toThrow('already registered')
    expect(() => registry.register({ ...tool, name: 'NoNamespace' })).toThrow('namespace.name')
    expect(registry.builtinNames()).toEqual(['time.now'])
  })

  it('asks sources only for names no builtin has, and ignores names it did not ask for', async () => {
    const asked: string[][] = []
    const remote = (name: string): ResolvedTool => ({
      name,
      description: 'remote',
      inputSchema: {},
      toolId: null,
      timeoutMs: null,
      execute: async () => ({ output: name }),
    })
    const registry = createTestTools().registry.addSource({
      async resolve(_scope, names) {
        asked.push([...names])
        return [remote('crm.lookup'), remote('other.tool')]
      },
    })
    const found = await registry.resolve(scope, ['math.add', 'crm.lookup', 'missing.tool'])
    expect(asked).toEqual([['crm.lookup', 'missing.tool']])
    expect([...found.keys()].sort()).toEqual(['crm.lookup', 'math.add'])
    expect(await registry.resolve(scope, ['math.add'])).toHaveProperty('size', 1)
    expect(asked).toHaveLength(1)
  })
})

describe('ToolExecutor', () => {
  const setup = async () => {
    const stores = createMemoryStores()
    const now = new Date()
    await stores.companies.create(systemScope('test'), {
      id: scope.companyId,
      name: 'T',
      planId: 'free',
      status: 'active',
      createdAt: now,
      updatedAt: now,
    })
    const { registry, probe } = createTestTools()
    const executor = new ToolExecutor(
      new JsonSchemaValidator(),
      stores.toolCalls as ToolCallStore,
      systemClock,
      createUuidV7Generator(),
    )
    return { stores, registry, probe, executor }
  }
  const context = { scope, agentId: null, sessionId: null, turnId: null }

  it('rejects arguments that are not JSON, and reads empty arguments as {}', async () => {
    const { registry, probe, executor } = await setup()
    const tools = await registry.resolve(scope, ['math.add', 'time.now'])
    const outcomes = await executor.run({
      scope,
      context,
      tools,
      allowed: new Set(['math.add', 'time.now']),
      maxParallel: 2,
      calls: [
        { id: '1', name: 'math.add', argumentsJson: '{"a": 1,' },
        { id: '2', name: 'time.now', argumentsJson: '' },
      ],
    })
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['invalid-arguments', 'ok'])
    expect(outcomes[0]?.error?.message).toContain('not valid JSON')
    expect(probe.runs.get('math.add')).toBeUndefined()
  })

  it('writes one audit row per call, denied and skipped ones too, through the redaction seam', async () => {
    const { stores, executor } = await setup()
    const secret: ResolvedTool = {
      name: 'crm.login',
      description: '',
      inputSchema: { type: 'object' },
      toolId: null,
      timeoutMs: null,
      execute: async () => ({ output: { token: 'secret-token' } }),
      redact: (value) =>
        value && typeof value === 'object'
          ? { ...value, token: '[REDACTED]', password: '[REDACTED]' }
          : value,
    }
    const batch = {
      scope,
      context,
      tools: new Map([['crm.login', secret]]),
      allowed: new Set(['crm.login']),
      maxParallel: 1,
    }
    await executor.run({
      ...batch,
      calls: [
        { id: '1', name: 'crm.login', argumentsJson: '{"password":"hunter2"}' },
        { id: '2', name: 'x.y', argumentsJson: '{}' },
      ],
    })
    await executor.skip({ ...batch, calls: [{ id: '3', name: 'crm.login', argumentsJson: '{}' }] }, 'limit')
    const rows = (await stores.toolCalls.list(scope)).items
    expect(rows.map((row) => row.status).sort()).toEqual(['denied', 'ok', 'skipped'])
    expect(JSON.stringify(rows)).not.toContain('hunter2')
    expect(JSON.stringify(rows)).not.toContain('secret-token')
  })
})
