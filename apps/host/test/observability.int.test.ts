import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { metricValue, type ObservedPlatform, startObservedPlatform } from './support/observed-platform.js'
import {
  createTestDatabase,
  probeServices,
  TEST_REDIS_URL,
  type TestDatabase,
  testRedisPrefix,
} from './support/test-database.js'
import { ADMIN_TOKEN } from './support/test-platform.js'

const services = await probeServices()
const title = 'observability of agentry api on PostgreSQL 15 and Redis'

async function post(url: string, token: string, body: unknown) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as { data: Record<string, unknown> } }
}

if (services.isAvailable) {
  describe(title, () => {
    let database: TestDatabase
    let api: ObservedPlatform

    beforeAll(async () => {
      database = await createTestDatabase()
      // An API process alone: jobs wait in Redis for a worker that is not there.
      api = await startObservedPlatform(
        {
          DATABASE_URL: database.url,
          REDIS_URL: TEST_REDIS_URL,
          AGENTRY_REDIS_PREFIX: testRedisPrefix(),
          AGENTRY_JWT_SECRET: 'integration-test-secret-0123456789abcdef',
        },
        'api',
      )
    })
    afterAll(async () => {
      await api?.close()
      await database?.drop()
    })

    it('shows the jobs waiting in Redis on /metrics, and counts the requests that queued them', async () => {
      const base = `${api.url}/api/v1`
      const company = await post(`${base}/companies`, ADMIN_TOKEN, { name: 'Acme' })
      const key = company.body.data.apiKey as string
      const companyId = (company.body.data.company as { id: string }).id
      const knowledgeBase = await post(`${base}/knowledge-bases`, key, { name: 'Handbook' })
      const before = await (await fetch(`${api.url}/metrics`)).text()
      expect(metricValue(before, 'agentry_queue_jobs', { kind: 'kb.index', state: 'waiting' })).toBe(0)
      for (const text of ['First document about parcels.', 'Second document about returns.']) {
        const added = await post(`${base}/knowledge-bases/${knowledgeBase.body.data.id}/documents`, key, {
          type: 'text',
          text,
        })
        expect(added.status).toBe(202)
      }
      const after = await (await fetch(`${api.url}/metrics`)).text()
      expect(metricValue(after, 'agentry_queue_jobs', { kind: 'kb.index', state: 'waiting' })).toBe(2)
      expect(
        metricValue(after, 'agentry_http_requests_total', {
          method: 'POST',
          route: '/api/v1/knowledge-bases/:knowledgeBaseId/documents',
          status: '202',
        }),
      ).toBe(2)
      expect(metricValue(after, 'agentry_jobs_total')).toBe(0)
      const lines = api.logs.lines.map((line) => JSON.parse(line) as Record<string, unknown>)
      expect(lines.find((line) => line.msg === 'request' && line.status === 202)).toMatchObject({
        service: 'agentry-test-api',
        requestId: expect.any(String),
        companyId,
      })
    })
  })
} else {
  describe(title, () => {
    it.skip(`skipped: ${services.reason}`, () => undefined)
  })
}
