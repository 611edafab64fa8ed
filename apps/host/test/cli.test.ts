import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { type CliIo, runCli } from '../src/cli.js'
import { compose } from '../src/compose.js'
import { loadConfig } from '../src/config/load-config.js'

const dataDir = mkdtempSync(join(tmpdir(), 'agentry-cli-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

const environment = { AGENTRY_DATA_DIR: dataDir, AGENTRY_LOG_LEVEL: 'silent' }

async function agentry(...argv: string[]) {
  const out: string[] = []
  const errors: string[] = []
  const io: CliIo = { environment, print: (line) => out.push(line), printError: (line) => errors.push(line) }
  const code = await runCli(argv, io)
  return { code, out, errors }
}

describe('agentry CLI', () => {
  it('migrate applies the migrations once; a second run has nothing to do', async () => {
    const first = await agentry('migrate')
    expect(first.code).toBe(0)
    expect(first.out.join('\n')).toMatch(/^Applied \d+ migration\(s\): agentry\/0001_/)
    const second = await agentry('migrate')
    expect(second).toMatchObject({ code: 0, out: ['The database is up to date: no migration to apply.'] })
  })

  it('company create --json prints the id and an admin key that works', async () => {
    const result = await agentry('company', 'create', '--name', 'Acme', '--json')
    expect(result.code).toBe(0)
    const printed = JSON.parse(result.out.join('\n')) as { companyId: string; name: string; apiKey: string }
    expect(printed).toMatchObject({ name: 'Acme', apiKey: expect.stringMatching(/^agt_/) })
    const composition = await compose(loadConfig(environment))
    try {
      const actor = await composition.agentry.apiKeys.authenticate(printed.apiKey)
      expect(actor).toMatchObject({ type: 'api-key', companyId: printed.companyId })
    } finally {
      await composition.close()
    }
  })

  it('company create without --json says the key is shown once', async () => {
    const result = await agentry('company', 'create', '--name', 'Globex')
    expect(result.code).toBe(0)
    expect(result.out[0]).toMatch(/^Company "Globex" created: [0-9a-f-]{36}$/)
    expect(result.out[1]).toMatch(/^Admin API key \(shown once, store it now\): agt_/)
  })

  it('demo seeds once, keeps the key in a 0600 file, and prints the same key again', async () => {
    const first = await agentry('demo')
    const second = await agentry('demo')
    expect(first.code).toBe(0)
    const keyLine = (lines: string[]) => lines.find((line) => line.includes('API key'))
    expect(keyLine(first.out)).toMatch(/agt_/)
    expect(keyLine(second.out)).toBe(keyLine(first.out))
    expect(first.out[0]).toContain('Seeded the demo company')
    expect(second.out[0]).toBe('Demo company:')
    expect(first.out.some((line) => line.includes('curl -s http://127.0.0.1:3000/api/v1/agents/'))).toBe(true)
    expect(statSync(join(dataDir, 'demo.json')).mode & 0o777).toBe(0o600)
  })

  it('reports a bad environment, naming every variable, with exit code 1', async () => {
    const io: CliIo = {
      environment: { PORT: 'eighty', DATABASE_URL: 'mysql://x' },
      print: () => undefined,
      printError: (line) => errors.push(line),
    }
    const errors: string[] = []
    expect(await runCli(['migrate'], io)).toBe(1)
    expect(errors.join('\n')).toMatch(/INVALID_INPUT: .*PORT.*\n.*DATABASE_URL/s)
  })

  it('exits 2 on an unknown command or a missing option', async () => {
    expect((await agentry('frobnicate')).code).toBe(2)
    expect((await agentry('company', 'create')).code).toBe(2)
  })
})
