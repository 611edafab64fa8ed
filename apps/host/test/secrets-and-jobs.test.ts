import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CompanyId } from '@agentry/contracts'
import { CoreError, tenantScope } from '@agentry/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../src/cli.js'
import { compose } from '../src/compose.js'
import { loadConfig } from '../src/config/load-config.js'
import { seedDemo } from '../src/demo/seed-demo.js'
import { createVault, MASTER_KEY_FILE } from '../src/secrets/master-keys.js'
import { chat, createCompany, type TestCompany } from './support/tenant-fixtures.js'
import { expectStatus, TestApi } from './support/test-api.js'
import { startTestPlatform, type TestPlatform } from './support/test-platform.js'

const newKey = () => randomBytes(32).toString('base64')

function configError(environment: Record<string, string>): string {
  try {
    loadConfig(environment)
  } catch (error) {
    expect(CoreError.hasCode(error, 'INVALID_INPUT')).toBe(true)
    return (error as Error).message
  }
  throw new Error('expected the config to be refused')
}

describe('master keys', () => {
  it('reads a configured key, earlier keys and the outbound settings, and refuses bad ones', () => {
    const key = newKey()
    const old = newKey()
    const config = loadConfig({
      AGENTRY_MASTER_KEY: key,
      AGENTRY_MASTER_KEY_ID: '2026-11',
      AGENTRY_PREVIOUS_MASTER_KEYS: `2026-05:${old}`,
      AGENTRY_OUTBOUND_DENY_HOSTS: 'a.example.com, *.b.example.com',
    })
    expect(config.secrets).toEqual({
      masterKey: { id: '2026-11', key },
      previousKeys: [{ id: '2026-05', key: old }],
    })
    expect(config.outbound).toMatchObject({
      allowLoopback: false,
      denyHosts: ['a.example.com', '*.b.example.com'],
    })
    expect(configError({ AGENTRY_MASTER_KEY: 'c2hvcnQ=' })).toContain(
      'AGENTRY_MASTER_KEY: must be 32 random bytes',
    )
    expect(configError({ AGENTRY_PREVIOUS_MASTER_KEYS: `old:${old}` })).toContain('needs AGENTRY_MASTER_KEY')
    expect(configError({ AGENTRY_MASTER_KEY: key, AGENTRY_PREVIOUS_MASTER_KEYS: 'no-colon' })).toContain(
      'id:base64key',
    )
    expect(
      configError({ AGENTRY_MASTER_KEY: key, AGENTRY_PREVIOUS_MASTER_KEYS: `primary:${old}` }),
    ).toContain('must not reuse the id')
    expect(configError({ AGENTRY_OUTBOUND_COMPANY_HOSTS: '{not json' })).toContain('must be JSON')
  })

  it('has no vault with an external database and no key, and says so', () => {
    const lines: string[] = []
    const vault = createVault(loadConfig({ DATABASE_URL: 'postgres://x@db/agentry' }), (line) =>
      lines.push(line),
    )
    expect(vault).toBeNull()
    expect(lines.join()).toContain('AGENTRY_MASTER_KEY is not set: company secrets')
  })

  it('generates a key on first start (0600, announced), then rotates to a configured key (twice, safely)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'agentry-keys-'))
    const environment = {
      AGENTRY_DATA_DIR: dataDir,
      AGENTRY_LOG_LEVEL: 'silent',
      AGENTRY_MIGRATE_ON_START: 'true',
    }
    try {
      const lines: string[] = []
      let companyId: CompanyId
      const first = await compose(loadConfig(environment), { log: (line) => lines.push(line) })
      try {
        const keyFile = join(dataDir, MASTER_KEY_FILE)
        expect(statSync(keyFile).mode & 0o777).toBe(0o600)
        expect(lines.join('\n')).toContain(`generated a master key for company secrets in ${keyFile} (0600)`)
        const created = await first.agentry.companies.create(
          { actor: { type: 'platform-admin' } },
          { name: 'Acme' },
        )
        companyId = created.company.id
        const context = { actor: await first.agentry.apiKeys.authenticate(created.adminKey.key) }
        await first.agentry.secrets.put(context, { name: 'crm-token', value: 'token-before-rotation' })
      } finally {
        await first.close()
      }
      const rotated = { ...environment, AGENTRY_MASTER_KEY: newKey(), AGENTRY_MASTER_KEY_ID: 'k2026' }
      const printed: string[] = []
      const io = {
        environment: rotated,
        print: (line: string) => printed.push(line),
        printError: () => undefined,
      }
      expect(await runCli(['secrets', 'rotate', '--json'], io)).toBe(0)
      expect(JSON.parse(printed[0]!)).toMatchObject({ checked: 1, rotated: 1, failed: [], keyId: 'k2026' })
      expect(await runCli(['secrets', 'rotate'], io)).toBe(0)
      expect(printed[1]).toContain('0 re-encrypted under key "k2026", 1 already under it')
      // Without the generated key file, only the configured key is left: the value still decrypts.
      rmSync(join(dataDir, MASTER_KEY_FILE))
      const third = await compose(loadConfig(rotated))
      try {
        expect(await third.agentry.secrets.reveal(tenantScope(companyId), 'crm-token')).toBe(
          'token-before-rotation',
        )
        const stored = await third.stores.secrets.getByName(tenantScope(companyId), 'crm-token')
        expect(stored?.value.keyId).toBe('k2026')
      } finally {
        await third.close()
      }
      expect(existsSync(join(dataDir, MASTER_KEY_FILE))).toBe(false)
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  }, 120_000)
})

describe('workflow tools, job status and the demo tool', () => {
  let platform: TestPlatform
  let acme: TestCompany
  let globex: TestCompany
  beforeAll(async () => {
    platform = await startTestPlatform()
    const api = new TestApi(platform.app)
    acme = await createCompany(api, 'Acme')
    globex = await createCompany(api, 'Globex')
  })
  afterAll(() => platform?.close())

  it('a workflow tool enqueues a job whose status its company (only) can read', async () => {
    const worker = platform.composition.queue.process('workflow.refund', async (job) => ({
      refunded: (job.payload as { arguments: { orderId: string } }).arguments.orderId,
    }))
    try {
      const tool = expectStatus(
        await acme.api.post<{ data: { id: string } }>('/api/v1/tools', {
          name: 'ops.refund',
          kind: 'workflow',
          description: 'Starts a refund.',
          inputSchema: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
          workflow: { jobKind: 'workflow.refund' },
        }),
        201,
      )
      const run = expectStatus(
        await acme.api.post<{ data: { ok: boolean; result: { jobId: string; status: string } } }>(
          `/api/v1/tools/${tool.body.data.id}/test`,
          { arguments: { orderId: 'o-7' } },
        ),
        200,
      )
      const { jobId } = run.body.data.result
      let status = ''
      for (let attempt = 0; attempt < 200 && status !== 'completed'; attempt += 1) {
        const job = expectStatus(
          await acme.api.get<{ data: { status: string } }>(`/api/v1/jobs/${jobId}`),
          200,
        )
        status = job.body.data.status
        if (status !== 'completed') await new Promise((resolve) => setTimeout(resolve, 10))
      }
      const job = expectStatus(
        await acme.api.get<{ data: Record<string, unknown> }>(`/api/v1/jobs/${jobId}`),
        200,
      )
      expect(job.body.data).toMatchObject({
        id: jobId,
        kind: 'workflow.refund',
        status: 'completed',
        result: { refunded: 'o-7' },
      })
      expect(job.body.data).not.toHaveProperty('payload')
      const other = await globex.api.get<{ error: { code: string } }>(`/api/v1/jobs/${jobId}`)
      expect([other.status, other.body.error.code]).toEqual([404, 'NOT_FOUND'])
    } finally {
      await worker.stop()
    }
  })

  it('the demo agent calls math.evaluate from its scripted rules', async () => {
    const seed = await seedDemo(platform.composition, mkdtempSync(join(tmpdir(), 'agentry-demo-')))
    const demo = {
      companyId: seed.companyId,
      apiKey: seed.apiKey,
      api: new TestApi(platform.app, seed.apiKey),
    }
    const reply = await chat(demo, seed.agentId, { message: 'calculate (12 + 30) * 2' })
    expect(reply.toolCalls).toEqual([expect.objectContaining({ name: 'math.evaluate', status: 'ok' })])
    expect(reply.message.content).toContain('"result":84')
    expect(seed.tryLines.join(' ')).toContain('calculate')
  })
})
