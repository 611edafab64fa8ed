import { randomBytes } from 'node:crypto'
import { createAnthropic } from '@agentry/anthropic'
import type { CompanyId, LogFields, Telemetry, TurnEvent } from '@agentry/contracts'
import { noopTelemetry, tenantScope } from '@agentry/contracts'
import { type ReplayServer, startReplayServer } from '@agentry/contracts/testing'
import { type Agentry, createAgentry, type RequestContext } from '@agentry/core'
import { createTokenizer } from '@agentry/local'
import { createMemoryStores, MemoryLock } from '@agentry/memory'
import { createOpenAI } from '@agentry/openai'
import { createSecretVault } from '@agentry/vault'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { companyProviderKeys, PROVIDER_KEY_SECRETS } from '../src/models/company-provider-keys.js'
import { ProviderModelResolver } from '../src/models/provider-model-resolver.js'

/**
 * Bring your own key: company A stores its own OpenAI and Anthropic keys as secrets, company B does
 * not. The real SDKs talk to replay servers, whose request logs show which key each turn used.
 */
const PLATFORM_OPENAI_KEY = 'sk-platform-openai-0000'
const ACME_OPENAI_KEY = 'sk-acme-own-openai-1111'
const ACME_ANTHROPIC_KEY = 'sk-ant-acme-own-2222'
const KEYS = [PLATFORM_OPENAI_KEY, ACME_OPENAI_KEY, ACME_ANTHROPIC_KEY]

const openaiAnswer = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1727346142,
  model: 'gpt-4o-mini',
  choices: [
    { index: 0, message: { role: 'assistant', content: 'Hi.', refusal: null }, finish_reason: 'stop' },
  ],
  usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
}
const anthropicAnswer = {
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-haiku-4-5',
  content: [{ type: 'text', text: 'Hi.' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 5, output_tokens: 2, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
}

interface Tenant {
  readonly companyId: CompanyId
  readonly context: RequestContext
}

let openai: ReplayServer
let anthropic: ReplayServer
let agentry: Agentry
let stores: ReturnType<typeof createMemoryStores>
const logged: string[] = []
let acme: Tenant
let globex: Tenant

function recordingTelemetry(): Telemetry {
  const record = (level: string) => (message: string, fields?: LogFields) => {
    logged.push(JSON.stringify({ level, message, fields }))
  }
  const logger = {
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    child: () => logger,
  }
  return { ...noopTelemetry, logger }
}

beforeAll(async () => {
  openai = await startReplayServer()
  anthropic = await startReplayServer()
  openai.respondWith(() => ({ body: openaiAnswer }))
  anthropic.respondWith(() => ({ body: anthropicAnswer }))
  stores = createMemoryStores()
  const vault = createSecretVault({ keys: [{ id: 'test-1', key: randomBytes(32).toString('base64') }] })
  const keys = companyProviderKeys(stores, vault)
  agentry = createAgentry({
    stores,
    vault,
    lock: new MemoryLock(),
    tokenizer: createTokenizer(),
    telemetry: recordingTelemetry(),
    models: new ProviderModelResolver({
      openai: createOpenAI(
        {
          apiKey: PLATFORM_OPENAI_KEY,
          baseURL: `${openai.url}/v1`,
          companySecretName: PROVIDER_KEY_SECRETS.openai,
        },
        { resolveApiKey: keys.openai },
      ),
      // No platform key: only companies with their own key can use Anthropic.
      anthropic: createAnthropic(
        { baseURL: anthropic.url, companySecretName: PROVIDER_KEY_SECRETS.anthropic },
        { resolveApiKey: keys.anthropic },
      ),
    }),
  })
  const tenant = async (name: string): Promise<Tenant> => {
    const created = await agentry.companies.create({ actor: { type: 'platform-admin' } }, { name })
    const actor = await agentry.apiKeys.authenticate(created.adminKey.key)
    return { companyId: created.company.id, context: { actor, requestId: `byok-${name}` } }
  }
  acme = await tenant('Acme')
  globex = await tenant('Globex')
  await agentry.secrets.put(acme.context, { name: 'openai_api_key', value: ACME_OPENAI_KEY })
  await agentry.secrets.put(acme.context, { name: 'anthropic_api_key', value: ACME_ANTHROPIC_KEY })
})

afterAll(async () => {
  await Promise.all([openai?.close(), anthropic?.close()])
})

async function turn(tenant: Tenant, provider: string, name: string) {
  const { agent } = await agentry.agents.create(tenant.context, {
    name: `${provider} agent`,
    config: { model: { provider, name, maxRetries: 0 } },
  })
  const events: TurnEvent[] = []
  for await (const event of agentry.orchestrator.run({
    context: tenant.context,
    agentId: agent.id,
    message: 'Hi',
  }))
    events.push(event)
  return events
}

function expectNoKeyIn(text: string) {
  for (const key of KEYS) expect(text).not.toContain(key)
}

describe('bring your own key (companyProviderKeys)', () => {
  it("uses the company's own OpenAI key for its turns and the platform key for others", async () => {
    const before = openai.requests.length
    const acmeEvents = await turn(acme, 'openai', 'gpt-4o-mini')
    const globexEvents = await turn(globex, 'openai', 'gpt-4o-mini')

    expect([acmeEvents.at(-1)?.type, globexEvents.at(-1)?.type]).toEqual(['turn-end', 'turn-end'])
    expect(openai.requests.slice(before).map((request) => request.headers.authorization)).toEqual([
      `Bearer ${ACME_OPENAI_KEY}`,
      `Bearer ${PLATFORM_OPENAI_KEY}`,
    ])
    expectNoKeyIn(JSON.stringify([acmeEvents, globexEvents]))
  })

  it('makes a provider without a platform key usable by the company that has its own key only', async () => {
    const before = anthropic.requests.length
    const acmeEvents = await turn(acme, 'anthropic', 'claude-haiku-4-5')
    const globexEvents = await turn(globex, 'anthropic', 'claude-haiku-4-5')

    expect(acmeEvents.at(-1)?.type).toBe('turn-end')
    // This SDK version sends the key as a bearer token.
    expect(anthropic.requests.slice(before).map((request) => request.headers.authorization)).toEqual([
      `Bearer ${ACME_ANTHROPIC_KEY}`,
    ])
    const failure = globexEvents.at(-1)
    expect(failure).toMatchObject({ type: 'error', error: { code: 'UNAUTHENTICATED' } })
    expect(failure?.type === 'error' && failure.error.message).toBe(
      "No Anthropic API key is configured: set ANTHROPIC_API_KEY or the company's `anthropic_api_key` secret.",
    )
  })

  it("says to update the company's secret when the provider rejects the company's key", async () => {
    openai.enqueue({
      status: 401,
      body: {
        error: { message: `Incorrect API key provided: ${ACME_OPENAI_KEY}.`, type: 'invalid_request_error' },
      },
    })
    const events = await turn(acme, 'openai', 'gpt-4o-mini')
    const failure = events.at(-1)
    expect(failure?.type === 'error' && failure.error.message).toBe(
      "OpenAI rejected the company's API key: update the company's `openai_api_key` secret.",
    )
    expectNoKeyIn(JSON.stringify(events))
  })

  it('never stores or logs a key: turns, usage, audit rows and log lines hold none', async () => {
    const stored: unknown[] = []
    for (const tenant of [acme, globex]) {
      const scope = tenantScope(tenant.companyId)
      stored.push((await stores.usage.list(scope, {}, { limit: 200 })).items)
      stored.push((await stores.audit.list(scope, {}, { limit: 200 })).items)
      stored.push((await stores.sessions.list(scope, {}, { limit: 200 })).items)
    }
    expectNoKeyIn(JSON.stringify(stored))
    expectNoKeyIn(logged.join('\n'))
  })

  it('reads nothing without a vault, and only the asking company', async () => {
    expect(await companyProviderKeys(stores, null).openai(acme.companyId)).toBeNull()
    const keys = companyProviderKeys(stores, {
      currentKeyId: 'x',
      encrypt: () => Promise.reject(new Error('not used')),
      decrypt: async (_value, context) => `decrypted for ${context.companyId}/${context.name}`,
    })
    expect(await keys.anthropic(acme.companyId)).toBe(`decrypted for ${acme.companyId}/anthropic_api_key`)
    expect(await keys.openai(globex.companyId)).toBeNull()
  })
})
