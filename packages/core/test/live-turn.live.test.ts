import { createAnthropic } from '@agentry/anthropic'
import type { ChatModelResolver } from '@agentry/contracts'
import { tenantScope } from '@agentry/contracts'
import { createTokenizer } from '@agentry/local'
import { createMemoryStores, MemoryLock } from '@agentry/memory'
import { createOpenAI } from '@agentry/openai'
import { describe, expect, it } from 'vitest'
import { collectTurn, createAgentry } from '../src/index.js'

/**
 * One whole turn through the core (default resilient model caller) against the real provider APIs,
 * only for the providers whose key is set (a few dozen tokens each). OPENAI_BASE_URL,
 * OPENAI_TEST_MODEL and ANTHROPIC_TEST_MODEL point them elsewhere.
 */
const openaiKey = process.env.OPENAI_API_KEY
const anthropicKey = process.env.ANTHROPIC_API_KEY
const openaiBaseURL = process.env.OPENAI_BASE_URL

const providers = [
  {
    provider: 'openai',
    key: openaiKey,
    model: process.env.OPENAI_TEST_MODEL ?? 'gpt-4o-mini',
    create: (apiKey: string): ChatModelResolver =>
      createOpenAI({ apiKey, ...(openaiBaseURL ? { baseURL: openaiBaseURL } : {}) }),
  },
  {
    provider: 'anthropic',
    key: anthropicKey,
    model: process.env.ANTHROPIC_TEST_MODEL ?? 'claude-haiku-4-5',
    create: (apiKey: string): ChatModelResolver => createAnthropic({ apiKey }),
  },
]

describe('a live turn through the core', () => {
  for (const entry of providers) {
    const live = entry.key ? it : it.skip
    const reason = entry.key ? '' : ` (skipped: ${entry.provider.toUpperCase()}_API_KEY is not set)`

    live(`answers on ${entry.provider} and bills the call once${reason}`, async () => {
      const stores = createMemoryStores()
      const agentry = createAgentry({
        stores,
        models: entry.create(entry.key ?? ''),
        lock: new MemoryLock(),
        tokenizer: createTokenizer(),
      })
      const created = await agentry.companies.create({ actor: { type: 'platform-admin' } }, { name: 'Live' })
      const context = { actor: await agentry.apiKeys.authenticate(created.adminKey.key) }
      const { agent } = await agentry.agents.create(context, {
        name: 'Live',
        config: {
          systemPrompt: 'Answer with exactly one lowercase word.',
          model: { provider: entry.provider, name: entry.model, maxOutputTokens: 16, timeoutMs: 30_000 },
        },
      })

      const result = await collectTurn(
        agentry.orchestrator.run({ context, agentId: agent.id, message: 'Say: pong', stream: true }),
      )

      expect(result.message.content.toLowerCase()).toContain('pong')
      const usage = await stores.usage.list(tenantScope(created.company.id), {}, { limit: 10 })
      const llm = usage.items.filter((event) => event.kind === 'llm.tokens')
      expect(llm).toHaveLength(result.usage.modelCalls)
      expect(llm[0]).toMatchObject({ provider: entry.provider, model: entry.model })
      expect(llm[0]?.inputTokens).toBeGreaterThan(0)
    })
  }
})
