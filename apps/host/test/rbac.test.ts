import type { Permission } from '@agentry/contracts'
import { PERMISSIONS, ROLE_PERMISSIONS, ROLES } from '@agentry/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RouteAccess, RouteDefinition } from '../src/http/route-definition.js'
import { ROUTES } from '../src/routes/route-areas.js'
import { buildRouteWorld, exampleBody, fillPath, type RouteWorld, routeKey } from './support/route-world.js'
import { keyWith, loginAs } from './support/tenant-fixtures.js'
import { TestApi } from './support/test-api.js'
import { ADMIN_TOKEN, startTestPlatform, type TestPlatform } from './support/test-platform.js'

interface SweepActor {
  readonly name: string
  readonly api: TestApi
  /** Tenant permissions, or null for the platform admin token. */
  readonly permissions: readonly Permission[] | null
}

let platform: TestPlatform
let world: RouteWorld
const actors: SweepActor[] = []

beforeAll(async () => {
  platform = await startTestPlatform({
    AGENTRY_RATE_LIMIT_PER_KEY: '100000',
    AGENTRY_RATE_LIMIT_PER_COMPANY: '100000',
  })
  const api = new TestApi(platform.app)
  world = await buildRouteWorld(api, 'Acme')
  for (const role of ROLES) {
    const { api: userApi } = await loginAs(world.company, role, `${role}@acme.example`)
    actors.push({ name: `user ${role}`, api: userApi, permissions: ROLE_PERMISSIONS[role] })
  }
  for (const permission of PERMISSIONS) {
    actors.push({
      name: `key ${permission}`,
      api: await keyWith(world.company, [permission]),
      permissions: [permission],
    })
  }
  actors.push({ name: 'platform admin', api: api.as(ADMIN_TOKEN), permissions: null })
})
afterAll(() => platform?.close())

function isAllowed(access: RouteAccess, actor: SweepActor): boolean {
  if (access === 'public') return true
  if (access === 'platform-admin') return actor.permissions === null
  if (actor.permissions === null) return false
  return access === 'authenticated' || actor.permissions.includes(access)
}

async function call(route: RouteDefinition, actor: SweepActor) {
  const body = exampleBody(route, world)
  return actor.api.request<{ error?: { code: string } }>(
    route.method,
    fillPath(route, world),
    body === undefined ? {} : { body },
  )
}

type Answer = Awaited<ReturnType<typeof call>>

/**
 * Allowed means the route's access check let the caller through: not 401, and not a 403 from the
 * check. A 403 naming `missing` grants is the core's rule that nobody grants more than they hold
 * (a key with only `keys:manage` cannot make a key with `agents:view`): the route let it through.
 */
function passedAccess(response: Answer): boolean {
  if (response.status === 401) return false
  if (response.status !== 403) return true
  const details = (response.body.error as { details?: { missing?: unknown } } | undefined)?.details
  return Array.isArray(details?.missing)
}

function deniedAccess(route: RouteDefinition, actor: SweepActor, response: Answer): boolean {
  if (response.status !== 403 || response.body.error?.code !== 'FORBIDDEN') return false
  if (actor.permissions === null || route.access === 'platform-admin') return true
  const details = (response.body.error as { details?: { permission?: string } }).details
  return details?.permission === route.access
}

describe('RBAC, swept from the route table', () => {
  it('declares an access rule for every route', () => {
    const known = new Set<string>(['public', 'authenticated', 'platform-admin', ...PERMISSIONS])
    for (const route of ROUTES) expect(known.has(route.access), routeKey(route)).toBe(true)
  })

  it('lets each role and key through exactly where the declared permission allows', async () => {
    const mismatches: string[] = []
    for (const route of ROUTES) {
      for (const actor of actors) {
        const response = await call(route, actor)
        const allowed = isAllowed(route.access, actor)
        const ok = allowed ? passedAccess(response) : deniedAccess(route, actor, response)
        if (!ok) {
          mismatches.push(
            `${routeKey(route)} as ${actor.name}: ${response.status} (expected ${allowed ? 'allowed' : '403'})`,
          )
        }
      }
    }
    expect(mismatches).toEqual([])
  })

  it('answers 401 to every non-public route without credentials or with an unknown key', async () => {
    const anonymous = world.company.api.as(undefined)
    const forged = world.company.api.as('agt_000000000000_notarealkeynotarealkeynotarealkey0000000')
    for (const route of ROUTES.filter((candidate) => candidate.access !== 'public')) {
      for (const api of [anonymous, forged]) {
        const response = await api.request<{ error: { code: string } }>(route.method, fillPath(route, world))
        expect([response.status, response.body.error.code], routeKey(route)).toEqual([401, 'UNAUTHENTICATED'])
      }
    }
  })

  it('names the missing permission in the 403', async () => {
    const viewer = actors.find((actor) => actor.name === 'user viewer')!
    const response = await viewer.api.post<{ error: { message: string; details: { permission: string } } }>(
      '/api/v1/agents',
      { name: 'Nope' },
    )
    expect(response.status).toBe(403)
    expect(response.body.error.details.permission).toBe('agents:manage')
    expect(response.body.error.message).toContain('agents:manage')
  })
})
