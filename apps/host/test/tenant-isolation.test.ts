import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RouteDefinition } from '../src/http/route-definition.js'
import { ROUTES } from '../src/routes/route-areas.js'
import { buildRouteWorld, exampleBody, fillPath, type RouteWorld, routeKey } from './support/route-world.js'
import { TestApi } from './support/test-api.js'
import { startTestPlatform, type TestPlatform } from './support/test-platform.js'

let platform: TestPlatform
let acme: RouteWorld
let globex: RouteWorld

beforeAll(async () => {
  platform = await startTestPlatform()
  const api = new TestApi(platform.app)
  acme = await buildRouteWorld(api, 'Acme')
  globex = await buildRouteWorld(api, 'Globex')
})
afterAll(() => platform?.close())

const tenantRoutesWithIds = ROUTES.filter(
  (route) => route.url.includes('/:') && route.access !== 'public' && route.access !== 'platform-admin',
)

/** Everything company A can read about itself; `lastUsedAt` moves when A's key is used, so it is left out. */
async function snapshot(world: RouteWorld): Promise<string> {
  const api = world.company.api
  const urls = [
    '/api/v1/agents?limit=200',
    ...[world.ids.agentId, world.victims.agentId].flatMap((id) => [
      `/api/v1/agents/${id}`,
      `/api/v1/agents/${id}/versions?limit=200`,
    ]),
    '/api/v1/sessions?limit=200',
    `/api/v1/sessions/${world.ids.sessionId}/messages?limit=200`,
    '/api/v1/api-keys?limit=200',
    '/api/v1/users?limit=200',
    '/api/v1/usage/events?limit=200',
    '/api/v1/audit?limit=200',
  ]
  const pages = []
  for (const url of urls) {
    const response = await api.get(url)
    expect(response.status, url).toBe(200)
    pages.push([url, response.body])
  }
  return JSON.stringify(pages, (key, value) => (key === 'lastUsedAt' ? undefined : value))
}

describe('tenant isolation, swept from the route table', () => {
  it('covers every tenant route that takes an id', () => {
    expect(tenantRoutesWithIds.length).toBeGreaterThanOrEqual(15)
  })

  it("answers 404 NOT_FOUND to company B for each of company A's resources, and changes nothing", async () => {
    const before = await snapshot(acme)
    const answers: string[] = []
    for (const route of tenantRoutesWithIds) {
      const response = await globex.company.api.request<{ error?: { code: string } }>(
        route.method,
        fillPath(route, acme),
        bodyOptions(route, globex),
      )
      answers.push(`${routeKey(route)} -> ${response.status} ${response.body.error?.code ?? ''}`.trim())
    }
    expect(answers).toEqual(tenantRoutesWithIds.map((route) => `${routeKey(route)} -> 404 NOT_FOUND`))
    expect(await snapshot(acme)).toBe(before)
  })

  it("answers A's ids exactly as ids that exist nowhere (same status, code and message)", async () => {
    const missing: RouteWorld = {
      ...acme,
      ids: Object.fromEntries(
        Object.entries(acme.ids).map(([name, id]) => [name, name === 'version' ? id : randomUUID()]),
      ),
      victims: Object.fromEntries(Object.keys(acme.victims).map((name) => [name, randomUUID()])),
    }
    /** The message with the world's ids (and names used as ids) replaced, so A's and the missing ones compare. */
    const normalize = (text: string, world: RouteWorld) =>
      Object.entries({ ...world.ids, ...prefixed(world.victims) })
        .filter(([name]) => name !== 'version')
        .reduce((result, [, id]) => result.replaceAll(id, '<id>'), text)
    for (const route of tenantRoutesWithIds) {
      const answers = []
      for (const world of [acme, missing]) {
        const response = await globex.company.api.request<{ error: { code: string; message: string } }>(
          route.method,
          fillPath(route, world),
          bodyOptions(route, globex),
        )
        answers.push([
          response.status,
          response.body.error.code,
          normalize(response.body.error.message, world),
        ])
      }
      expect(answers[0], routeKey(route)).toEqual(answers[1])
    }
  })

  it("answers 404 to company B for A's session inside B's own agent's chat", async () => {
    const response = await globex.company.api.post<{ error: { code: string } }>(
      `/api/v1/agents/${globex.ids.agentId}/chat`,
      { message: 'hello', sessionId: acme.ids.sessionId },
    )
    expect([response.status, response.body.error.code]).toEqual([404, 'NOT_FOUND'])
  })

  it("never lists A's resources to B when B filters by A's ids", async () => {
    const sessions = await globex.company.api.get<{ data: unknown[] }>(
      `/api/v1/sessions?agentId=${acme.ids.agentId}`,
    )
    expect(sessions.body.data).toEqual([])
    const usage = await globex.company.api.get<{ data: unknown[] }>(
      `/api/v1/usage/events?agentId=${acme.ids.agentId}`,
    )
    expect(usage.body.data).toEqual([])
  })

  it('answers 200 to the owning company on the same GET routes (the sweep is not vacuous)', async () => {
    for (const route of tenantRoutesWithIds.filter((candidate) => candidate.method === 'GET')) {
      const response = await acme.company.api.request(route.method, fillPath(route, acme))
      expect(response.status, routeKey(route)).toBe(200)
    }
  })
})

function prefixed(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [`victim ${name}`, value]))
}

function bodyOptions(route: RouteDefinition, world: RouteWorld) {
  const body = exampleBody(route, world)
  return body === undefined ? {} : { body }
}
