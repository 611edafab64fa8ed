import type { CompanyId } from '@agentry/contracts'
import { expectCoreError } from '@agentry/contracts/testing'
import OpenAI from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { createOpenAI, type OpenAIConfig } from '../src/index.js'
import { jsonFixture, type OpenAIReplay, PLATFORM_KEY, startOpenAIReplay } from './replay.js'

const ACME = 'acme-company' as CompanyId
const GLOBEX = 'globex-company' as CompanyId
const REQUEST = { messages: [{ role: 'user' as const, content: 'Hello' }] }

let replay: OpenAIReplay | undefined

afterEach(async () => {
  await replay?.close()
  replay = undefined
})

describe('createOpenAI config', () => {
  it('rejects an invalid config naming every bad field', async () => {
    const error = await expectCoreError(
      async () => createOpenAI({ baseURL: 'not a url', timeoutMs: -1, unknown: true } as never),
      'INVALID_INPUT',
    )
    expect(error.message).toMatch(/^OpenAI config is invalid: /)
    expect(error.details?.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'baseURL' }),
        expect.objectContaining({ path: 'timeoutMs' }),
      ]),
    )
  })

  it('fills defaults: the OpenAI endpoint, max_completion_tokens, stream usage', () => {
    const { config } = createOpenAI()
    expect(config).toMatchObject({
      provider: 'openai',
      baseURL: 'https://api.openai.com/v1',
      defaultModel: 'gpt-4o-mini',
      maxTokensParameter: 'max_completion_tokens',
      streamUsage: true,
      clientCacheSize: 100,
    })
  })
})

describe('ChatModelResolver with bring-your-own-key', () => {
  it("uses the company's own key when it has one, the platform key otherwise", async () => {
    replay = await startOpenAIReplay(
      {},
      { resolveApiKey: async (companyId) => (companyId === ACME ? 'sk-acme' : null) },
    )
    replay.server.enqueue(
      { body: jsonFixture('openai-text.json') },
      { body: jsonFixture('openai-text.json') },
    )

    const acme = await replay.provider.resolve({ companyId: ACME, provider: 'openai', model: 'gpt-4o' })
    await acme.generate(REQUEST)
    const globex = await replay.provider.resolve({ companyId: GLOBEX, provider: 'openai', model: 'gpt-4o' })
    await globex.generate(REQUEST)

    expect(replay.server.requests.map((request) => request.headers.authorization)).toEqual([
      'Bearer sk-acme',
      `Bearer ${PLATFORM_KEY}`,
    ])
    expect(acme.modelId).toBe('gpt-4o')
  })

  it('throws UNAUTHENTICATED naming both settings when neither key exists, before any request', async () => {
    replay = await startOpenAIReplay({ apiKey: undefined }, { resolveApiKey: async () => null })
    const error = await expectCoreError(
      replay.provider.resolve({ companyId: ACME, provider: 'openai', model: 'gpt-4o' }),
      'UNAUTHENTICATED',
    )
    expect(error.message).toBe(
      "No OpenAI API key is configured: set OPENAI_API_KEY or the company's `openai` secret.",
    )
    await expectCoreError(async () => replay?.provider.chatModel(), 'UNAUTHENTICATED')
    expect(replay.server.requests).toHaveLength(0)
  })

  it('names the settings of a compatible provider, or the ones configured', async () => {
    const groq = createOpenAI({ provider: 'groq', baseURL: 'https://api.groq.com/openai/v1' })
    const named = createOpenAI({ apiKeySetting: 'AGENTRY_OPENAI_KEY', companySecretName: 'openai-key' })
    const groqError = await expectCoreError(async () => groq.chatModel(), 'UNAUTHENTICATED')
    expect(groqError.message).toBe(
      "No groq API key is configured: set GROQ_API_KEY or the company's `groq` secret.",
    )
    const namedError = await expectCoreError(async () => named.chatModel(), 'UNAUTHENTICATED')
    expect(namedError.message).toContain("set AGENTRY_OPENAI_KEY or the company's `openai-key` secret")
  })

  it('rejects a provider it does not serve, naming the one it does', async () => {
    const provider = createOpenAI({ apiKey: 'sk-x' })
    const error = await expectCoreError(
      provider.resolve({ companyId: ACME, provider: 'anthropic', model: 'claude' }),
      'INVALID_INPUT',
    )
    expect(error.message).toBe('Unknown model provider "anthropic": this resolver serves "openai".')
  })

  it('uses the default model when the request names none', async () => {
    const provider = createOpenAI({ apiKey: 'sk-x', defaultModel: 'gpt-4.1-mini' })
    const model = await provider.resolve({ companyId: ACME, provider: 'openai', model: '' })
    expect(model.modelId).toBe('gpt-4.1-mini')
    expect(model.provider).toBe('openai')
  })

  it('builds one client per key and keeps the most recently used ones', async () => {
    const built: string[] = []
    const provider = createOpenAI(
      { apiKey: 'sk-platform', clientCacheSize: 2 },
      {
        resolveApiKey: async (companyId) => `sk-${companyId}`,
        createClient: (apiKey: string, config: OpenAIConfig) => {
          built.push(apiKey)
          return new OpenAI({ apiKey, baseURL: config.baseURL, maxRetries: 0 })
        },
      },
    )
    const resolve = (companyId: string) =>
      provider.resolve({ companyId: companyId as CompanyId, provider: 'openai', model: 'gpt-4o' })

    await resolve('a')
    await resolve('a')
    await resolve('b')
    await resolve('a')
    await resolve('c')
    await resolve('a')
    await resolve('b')
    expect(built).toEqual(['sk-a', 'sk-b', 'sk-c', 'sk-b'])
  })

  it('gives the embedding model the company key too', async () => {
    replay = await startOpenAIReplay({ embeddingDimensions: 5 }, { resolveApiKey: async () => 'sk-acme' })
    replay.server.enqueue({ body: jsonFixture('openai-embedding.json') })
    const model = await replay.provider.resolveEmbeddingModel({ companyId: ACME })
    await model.embed(['one', 'two'])
    expect(replay.server.requests[0]?.headers.authorization).toBe('Bearer sk-acme')
  })
})
