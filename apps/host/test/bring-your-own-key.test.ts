import { type ReplayServer, startReplayServer } from '@agentry/contracts/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chat, createAgent, createCompany, type TestCompany } from './support/tenant-fixtures.js'
import { expectStatus, TestApi } from './support/test-api.js'
import { startTestPlatform, type TestPlatform } from './support/test-platform.js'

/**
 * Bring your own key through the HTTP API, on a platform with no OPENAI_API_KEY: a company that
 * stores its `openai_api_key` secret can use `openai`; one that did not is told what to set. The
 * real OpenAI SDK talks to a replay server, whose request log shows the key each turn used.
 */
const ACME_KEY = 'sk-acme-own-key-for-byok-test'

const answer = {
  id: 'chatcmpl-byok',
  object: 'chat.completion',
  created: 1727346142,
  model: 'gpt-4o-mini',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Hello from OpenAI.', refusal: null },
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 },
}

let server: ReplayServer
let platform: TestPlatform
let acme: TestCompany
let globex: TestCompany

beforeAll(async () => {
  server = await startReplayServer()
  server.respondWith(() => ({ body: answer }))
  platform = await startTestPlatform({ OPENAI_BASE_URL: `${server.url}/v1` })
  const api = new TestApi(platform.app)
  acme = await createCompany(api, 'Acme')
  globex = await createCompany(api, 'Globex')
})

afterAll(async () => {
  await platform?.close()
  await server?.close()
})

const openaiAgent = (company: TestCompany) =>
  createAgent(company, { name: 'Own key', config: { model: { provider: 'openai', name: 'gpt-4o-mini' } } })

describe('bring your own key over HTTP', () => {
  it('registers openai without a platform key, because companies can store their own', () => {
    expect(platform.composition.models.providers).toEqual(['local', 'openai', 'anthropic'])
  })

  it("a company's stored key reaches the provider; the secret is never shown back", async () => {
    const stored = expectStatus(
      await acme.api.post('/api/v1/secrets', { name: 'openai_api_key', value: ACME_KEY }),
      201,
    )
    const listed = expectStatus(await acme.api.get('/api/v1/secrets'), 200)
    const agent = await openaiAgent(acme)
    const before = server.requests.length

    const reply = await chat(acme, agent.id, { message: 'Hello' })

    expect(reply.message.content).toBe('Hello from OpenAI.')
    expect(reply.usage).toMatchObject({ inputTokens: 9, outputTokens: 4, modelCalls: 1 })
    expect(server.requests.slice(before).map((request) => request.headers.authorization)).toEqual([
      `Bearer ${ACME_KEY}`,
    ])
    for (const text of [stored.text, listed.text, JSON.stringify(reply)]) expect(text).not.toContain(ACME_KEY)
  })

  it('a company without its own key is told which setting or secret to set, and nothing is sent', async () => {
    const agent = await openaiAgent(globex)
    const before = server.requests.length

    const response = await globex.api.post(`/api/v1/agents/${agent.id}/chat`, { message: 'Hello' })

    expect(response.status).toBe(401)
    expect(response.body).toMatchObject({
      error: {
        code: 'UNAUTHENTICATED',
        message:
          "No OpenAI API key is configured: set OPENAI_API_KEY or the company's `openai_api_key` secret.",
      },
    })
    expect(server.requests.length).toBe(before)
  })

  it('the company key stops being used once the secret is deleted', async () => {
    expectStatus(await acme.api.delete('/api/v1/secrets/openai_api_key'), 204)
    const agent = await openaiAgent(acme)
    const response = await acme.api.post(`/api/v1/agents/${agent.id}/chat`, { message: 'Hello again' })
    expect(response.status).toBe(401)
    expect(response.text).not.toContain(ACME_KEY)
  })
})
