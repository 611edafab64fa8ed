import { afterAll, beforeAll, expect, it } from 'vitest'
import { createCompany, keyWith } from './support/tenant-fixtures.js'
import { TestApi } from './support/test-api.js'
import { startTestPlatform, type TestPlatform } from './support/test-platform.js'

let platform: TestPlatform
beforeAll(async () => {
  platform = await startTestPlatform({ AGENTRY_RATE_LIMIT_PER_KEY: '3', AGENTRY_RATE_LIMIT_PER_COMPANY: '5' })
})
afterAll(() => platform?.close())

type ErrorBody = { error: { code: string; message: string } }

it('refuses the request past a key’s budget with 429 RATE_LIMITED and Retry-After in seconds', async () => {
  const acme = await createCompany(new TestApi(platform.app), 'Acme')
  const statuses: number[] = []
  let last = await acme.api.get<ErrorBody>('/api/v1/agents')
  statuses.push(last.status)
  while (last.status === 200 && statuses.length < 10) {
    last = await acme.api.get<ErrorBody>('/api/v1/agents')
    statuses.push(last.status)
  }
  expect(statuses).toEqual([200, 200, 200, 429])
  expect(last.body.error.code).toBe('RATE_LIMITED')
  expect(last.body.error.message).toContain('this API key')
  const retryAfter = Number(last.headers['retry-after'])
  expect(Number.isInteger(retryAfter)).toBe(true)
  expect(retryAfter).toBeGreaterThanOrEqual(1)
  expect(retryAfter).toBeLessThanOrEqual(60)
})

it('limits the whole company across its keys, and not other companies', async () => {
  const api = new TestApi(platform.app)
  const globex = await createCompany(api, 'Globex')
  // Creating the two keys spends 2 of the company's 5 requests (and 2 of the admin key's 3).
  const first = await keyWith(globex, ['agents:view'])
  const second = await keyWith(globex, ['agents:view'])
  const answers = []
  for (const key of [first, first, second, second])
    answers.push((await key.get<ErrorBody>('/api/v1/agents')).status)
  expect(answers).toEqual([200, 200, 200, 429])
  const limited = await second.get<ErrorBody>('/api/v1/agents')
  expect(limited.body.error.message).toContain('your company')
  const initech = await createCompany(api, 'Initech')
  expect((await initech.api.get('/api/v1/agents')).status).toBe(200)
})

it('limits login attempts per client address', async () => {
  const api = new TestApi(platform.app)
  const attempts = []
  for (let attempt = 0; attempt < 4; attempt += 1) {
    const response = await api.post<ErrorBody>('/api/v1/auth/login', {
      email: 'nobody@example.com',
      password: `guess number ${attempt}`,
    })
    attempts.push(`${response.status} ${response.body.error.code}`)
  }
  expect(attempts).toEqual([
    '401 UNAUTHENTICATED',
    '401 UNAUTHENTICATED',
    '401 UNAUTHENTICATED',
    '429 RATE_LIMITED',
  ])
})
