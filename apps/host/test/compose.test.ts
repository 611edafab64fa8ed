import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { compose } from '../src/compose.js'
import { loadConfig } from '../src/config/load-config.js'
import { createAgent, createCompany } from './support/tenant-fixtures.js'
import { TestApi } from './support/test-api.js'
import { startTestPlatform } from './support/test-platform.js'

const directories: string[] = []
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true })
})

function dataDir(): string {
  const directory = mkdtempSync(join(tmpdir(), 'agentry-compose-'))
  directories.push(directory)
  return directory
}

describe('compose', () => {
  it('picks the embedded database, in-process coordination and the local model with no settings', async () => {
    const lines: string[] = []
    const composition = await compose(loadConfig({ AGENTRY_DATA_DIR: dataDir() }), {
      log: (line) => lines.push(line),
    })
    try {
      expect(composition.database.backend).toBe('embedded')
      expect(composition.description.coordination).toBe('in-process')
      // openai and anthropic are there for companies that bring their own key (a vault exists).
      expect(composition.models.providers[0]).toBe('local')
      expect(await composition.stores.ping()).toBe(true)
      expect(lines).toContain(`Model providers: ${composition.models.providers.join(', ')}.`)
      expect(lines.some((line) => line.includes('agents use the local scripted model'))).toBe(true)
    } finally {
      await composition.close()
    }
    expect(await composition.stores.ping()).toBe(false)
  })

  it('adds OpenAI and Anthropic when their keys are set, and says nothing about the scripted fallback', async () => {
    const lines: string[] = []
    const composition = await compose(
      loadConfig({
        AGENTRY_DATA_DIR: dataDir(),
        OPENAI_API_KEY: 'sk-test',
        ANTHROPIC_API_KEY: 'sk-ant-test',
      }),
      { log: (line) => lines.push(line), migrate: false },
    )
    try {
      expect(composition.models.providers).toEqual(['local', 'openai', 'anthropic'])
      expect(lines).toContain('Model providers: local, openai, anthropic.')
      expect(lines.some((line) => line.includes('agents use the local scripted model'))).toBe(false)
    } finally {
      await composition.close()
    }
  })

  it('turns an agent on a provider that is not configured into 400 INVALID_INPUT naming the configured ones', async () => {
    const platform = await startTestPlatform()
    try {
      const acme = await createCompany(new TestApi(platform.app), 'Acme')
      const agent = await createAgent(acme, {
        name: 'Wants Mistral',
        config: { model: { provider: 'mistral', name: 'large' } },
      })
      const response = await acme.api.post<{ error: { code: string; message: string } }>(
        `/api/v1/agents/${agent.id}/chat`,
        { message: 'hello' },
      )
      expect([response.status, response.body.error.code], response.text).toEqual([400, 'INVALID_INPUT'])
      expect(response.body.error.message).toContain('"mistral" is not configured')
      expect(response.body.error.message).toContain('configured: local')
    } finally {
      await platform.close()
    }
  })
})
