import type { CompanyId } from '@agentry/contracts'
import { expectCoreError } from '@agentry/contracts/testing'
import Anthropic from '@anthropic-ai/sdk'
import { afterEach, describe, expect, it } from 'vitest'
import { createAnthropic } from '../src/index.js'
import { type AnthropicReplay, jsonFixture, PLATFORM_KEY, startAnthropicReplay } from './replay.js'

const ACME = 'acme-company' as CompanyId
const GLOBEX = 'globex-company' as CompanyId
const REQUEST = { messages: [{ role: 'user' as const, content: 'Hello' }] }

let replay: AnthropicReplay | undefined

afterEach(async () => {
  await replay?.close()
  replay = undefined
})

describe('createAnthropic config', () => {
  it('rejects an invalid config naming every bad field', async () => {
    const error = await expectCoreError(
      async () => createAnthropic({ baseURL: 'nope', defaultMaxTokens: 0 } as never),
      'INVALID_INPUT',
    )
    expect(error.message).toMatch(/^Anthropic config is invalid: /)
    expect(error.details?.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'baseURL' }),
        expect.objectContaining({ path: 'defaultMaxTokens' }),
      ]),
    )
  })

  it('fills defaults', () => {
    expect(createAnthropic().config).toMatchObject({
      provider: 'anthropic',
      baseURL: 'https://api.anthropic.com',
      defaultModel: 'claude-sonnet-4-6',
      defaultMaxTokens: 4096,
      cachePrompt: true,
    })
  })
})

describe('ChatModelResolver with bring-your-own-key', () => {
  it("uses the company's own key when it has one, the platform key otherwise", async () => {
    replay = await startAnthropicReplay(
      {},
      { resolveApiKey: async (companyId) => (companyId === ACME ? 'sk-ant-acme' : null) },
    )
    replay.server.enqueue(
      { body: jsonFixture('anthropic-text.json') },
      { body: jsonFixture('anthropic-text.json') },
    )

    await (
      await replay.provider.resolve({ companyId: ACME, provider: 'anthropic', model: 'claude-haiku-4-5' })
    ).generate(REQUEST)
    await (
      await replay.provider.resolve({ companyId: GLOBEX, provider: 'anthropic', model: 'claude-haiku-4-5' })
    ).generate(REQUEST)
    expect(replay.server.requests.map((request) => request.headers.authorization)).toEqual([
      'Bearer sk-ant-acme',
      `Bearer ${PLATFORM_KEY}`,
    ])
  })

  it('throws UNAUTHENTICATED naming both settings when neither key exists, before any request', async () => {
    replay = await startAnthropicReplay({ apiKey: undefined }, { resolveApiKey: async () => '  ' })
    const error = await expectCoreError(
      replay.provider.resolve({ companyId: ACME, provider: 'anthropic', model: 'claude-haiku-4-5' }),
      'UNAUTHENTICATED',
    )
    expect(error.message).toBe(
      "No Anthropic API key is configured: set ANTHROPIC_API_KEY or the company's `anthropic` secret.",
    )
    expect(replay.server.requests).toHaveLength(0)
  })

  it('rejects a provider it does not serve; uses the default model when none is named', async () => {
    const provider = createAnthropic({ apiKey: 'sk-ant-x', defaultModel: 'claude-haiku-4-5' })
    const error = await expectCoreError(
      provider.resolve({ companyId: ACME, provider: 'openai', model: 'gpt-4o' }),
      'INVALID_INPUT',
    )
    expect(error.message).toBe('Unknown model provider "openai": this resolver serves "anthropic".')
    const model = await provider.resolve({ companyId: ACME, provider: 'anthropic', model: '' })
    expect(model).toMatchObject({ provider: 'anthropic', modelId: 'claude-haiku-4-5' })
  })

  it('builds one client per key and keeps the most recently used ones', async () => {
    const built: string[] = []
    const provider = createAnthropic(
      { apiKey: 'sk-ant-platform', clientCacheSize: 2 },
      {
        resolveApiKey: async (companyId) => `sk-ant-${companyId}`,
        createClient: (apiKey) => {
          built.push(apiKey)
          return new Anthropic({ apiKey, maxRetries: 0 })
        },
      },
    )
    for (const companyId of ['a', 'a', 'b', 'a', 'c', 'a', 'b']) {
      await provider.resolve({
        companyId: companyId as CompanyId,
        provider: 'anthropic',
        model: 'claude-haiku-4-5',
      })
    }
    expect(built).toEqual(['sk-ant-a', 'sk-ant-b', 'sk-ant-c', 'sk-ant-b'])
  })
})
