import { waitUntil } from '@agentry/contracts/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { multipartBody } from './support/multipart.js'
import { type ObservedPlatform, startObservedPlatform } from './support/observed-platform.js'
import {
  freePort,
  probeRedisServerBinary,
  type RedisServerProcess,
  startRedisServer,
} from './support/redis-server-process.js'
import {
  createTestDatabase,
  probeServices,
  type TestDatabase,
  testRedisPrefix,
} from './support/test-database.js'
import { ADMIN_TOKEN } from './support/test-platform.js'

const title = 'agentry start on PostgreSQL 15 while its Redis goes down and comes back'
const services = await probeServices()
const redisBinary = probeRedisServerBinary()

/**
 * Each request's own client timeout, well above the Redis adapter's connect (2 s) and command (5 s)
 * timeouts: a request that hangs on the missing Redis fails here instead of answering.
 */
const CLIENT_TIMEOUT_MS = 15_000

interface Answer {
  readonly status: number
  readonly body: {
    data?: Record<string, unknown>
    error?: { code: string; message: string; details?: Record<string, unknown> }
  }
}

interface Body {
  readonly payload: string | Buffer
  readonly contentType: string
}

async function send(url: string, method: string, token: string | undefined, body?: Body): Promise<Answer> {
  const headers: Record<string, string> = {}
  if (token) headers.authorization = `Bearer ${token}`
  if (body) headers['content-type'] = body.contentType
  const response = await fetch(url, {
    method,
    headers,
    ...(body ? { body: body.payload } : {}),
    signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
  })
  const text = await response.text()
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Answer['body']) }
}

function json(value: unknown): Body {
  return { payload: JSON.stringify(value), contentType: 'application/json' }
}

function expectAnswer(answer: Answer, status: number): Answer {
  if (answer.status !== status) {
    throw new Error(`expected HTTP ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`)
  }
  return answer
}

if (services.isAvailable && redisBinary.isAvailable) {
  describe(title, () => {
    let database: TestDatabase
    let redis: RedisServerProcess
    let port: number
    let platform: ObservedPlatform
    let apiKey: string
    let agentId: string
    let knowledgeBaseId: string

    const api = (path: string) => `${platform.url}/api/v1${path}`
    const chat = (message: string) => send(api(`/agents/${agentId}/chat`), 'POST', apiKey, json({ message }))
    const me = () => send(api('/me'), 'GET', apiKey)

    beforeAll(async () => {
      port = await freePort()
      redis = await startRedisServer(port)
      database = await createTestDatabase()
      // API and worker in one process, as `agentry start` runs with DATABASE_URL and REDIS_URL set.
      platform = await startObservedPlatform({
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        AGENTRY_REDIS_PREFIX: testRedisPrefix(),
        AGENTRY_JWT_SECRET: 'integration-test-secret-0123456789abcdef',
      })
    })
    afterAll(async () => {
      await platform?.close()
      await redis?.kill()
      await database?.drop()
    })

    it('serves chat turns and reports ready while Redis runs', async () => {
      const company = expectAnswer(
        await send(api('/companies'), 'POST', ADMIN_TOKEN, json({ name: 'Acme' })),
        201,
      )
      apiKey = company.body.data?.apiKey as string
      const agent = await send(
        api('/agents'),
        'POST',
        apiKey,
        json({
          name: 'Helper',
          config: {
            systemPrompt: 'You help Acme customers.',
            providerOptions: {
              local: { rules: [{ when: { contains: 'refund' }, reply: 'Refunds take 14 days.' }] },
            },
          },
        }),
      )
      agentId = expectAnswer(agent, 201).body.data?.id as string
      const base = expectAnswer(
        await send(api('/knowledge-bases'), 'POST', apiKey, json({ name: 'Handbook' })),
        201,
      )
      knowledgeBaseId = base.body.data?.id as string

      const turn = expectAnswer(await chat('How long does a refund take?'), 200)
      expect(turn.body.data?.message).toMatchObject({ role: 'assistant', content: 'Refunds take 14 days.' })
      const ready = expectAnswer(await send(`${platform.url}/readyz`, 'GET', undefined), 200)
      expect(ready.body.data).toEqual({ status: 'ready', checks: { database: 'ok', queue: 'ok' } })
    })

    it('answers 503 UNAVAILABLE naming Redis while it is down, never 500, and stays alive', async () => {
      await redis.kill()

      for (const answer of [await chat('How long does a refund take?'), await me()]) {
        expect(answer.status).toBe(503)
        expect(answer.body.error?.code).toBe('UNAVAILABLE')
        expect(answer.body.error?.message).toMatch(
          /^Redis is unavailable while .+: check that Redis runs at the configured url; the call can be retried$/,
        )
      }
      const upload = await send(
        api(`/knowledge-bases/${knowledgeBaseId}/documents`),
        'POST',
        apiKey,
        json({ type: 'text', text: 'Lost while Redis was down.' }),
      )
      expect(upload.status).toBe(503)
      expect(upload.body.error?.code).toBe('UNAVAILABLE')

      expect(expectAnswer(await send(`${platform.url}/healthz`, 'GET', undefined), 200).body.data).toEqual({
        status: 'ok',
      })
      const notReady = await send(`${platform.url}/readyz`, 'GET', undefined)
      expect(notReady.status).toBe(503)
      expect(notReady.body.error).toMatchObject({
        code: 'UNAVAILABLE',
        message: 'Not ready: a dependency does not answer.',
        details: { checks: { database: 'ok', queue: 'failing' } },
      })
    })

    it('serves again on its own when Redis returns, and runs jobs enqueued after it', async () => {
      redis = await startRedisServer(port)

      const turn = await waitUntil(
        async () => {
          const answer = await chat('How long does a refund take?')
          if (answer.status === 503 && answer.body.error?.code === 'UNAVAILABLE') return null
          return answer
        },
        { timeoutMs: 20_000, intervalMs: 100, message: 'chat never recovered after Redis returned' },
      )
      expect(expectAnswer(turn, 200).body.data?.message).toMatchObject({ content: 'Refunds take 14 days.' })
      expectAnswer(await me(), 200)
      expectAnswer(await send(`${platform.url}/readyz`, 'GET', undefined), 200)

      const { payload, contentType } = multipartBody(
        { filename: 'returns.md', content: '# Returns\n\nParcels can be returned within 30 days.' },
        { title: 'Returns policy' },
      )
      const uploaded = expectAnswer(
        await send(api(`/knowledge-bases/${knowledgeBaseId}/documents/upload`), 'POST', apiKey, {
          payload,
          contentType,
        }),
        202,
      )
      const documentId = (uploaded.body.data as { document: { id: string } }).document.id
      const document = await waitUntil(
        async () => {
          const read = expectAnswer(await send(api(`/documents/${documentId}`), 'GET', apiKey), 200)
          const status = read.body.data?.status
          return status === 'ready' || status === 'failed' ? read.body.data : null
        },
        {
          timeoutMs: 30_000,
          intervalMs: 100,
          message: `document ${documentId} to be indexed after Redis returned`,
        },
      )
      expect(document).toMatchObject({ status: 'ready', error: null })
      expect(document.chunkCount).toBeGreaterThan(0)
    })
  })
} else {
  const reason = services.isAvailable ? (redisBinary as { reason: string }).reason : services.reason
  describe(title, () => {
    it.skip(`skipped: ${reason}`, () => undefined)
  })
}
