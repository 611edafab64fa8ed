import { ERROR_CODES } from '@agentry/contracts'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RouteDefinition } from '../src/http/route-definition.js'
import { ROUTES } from '../src/routes/route-areas.js'
import { buildRouteWorld, fillPath, type RouteWorld, routeKey } from './support/route-world.js'
import { TestApi } from './support/test-api.js'
import { startTestPlatform, type TestPlatform } from './support/test-platform.js'

let platform: TestPlatform
let world: RouteWorld

beforeAll(async () => {
  platform = await startTestPlatform({
    AGENTRY_RATE_LIMIT_PER_KEY: '1000000',
    AGENTRY_RATE_LIMIT_PER_COMPANY: '1000000',
  })
  world = await buildRouteWorld(new TestApi(platform.app), 'Acme')
})
afterAll(() => platform?.close())

const segment = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.uuid(),
  fc.constantFrom('..', '%', '%zz', '0', '-1', '1e309', 'null', '[]', 'Ω≈ç√', 'a'.repeat(300)),
  fc.integer().map(String),
)

const queryValue = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.integer().map(String),
  fc.constantFrom('', 'true', '-1', '1e309'),
)
const queryKey = fc.oneof(
  fc.constantFrom(
    'limit',
    'cursor',
    'stream',
    'agentId',
    'groupBy',
    'from',
    'to',
    'kind',
    'order',
    'billingPeriod',
  ),
  fc.string({ minLength: 1, maxLength: 10 }),
)
const query = fc.array(fc.tuple(queryKey, queryValue), { maxLength: 4 })

const body = fc.oneof(
  fc.record({ kind: fc.constant('json' as const), value: fc.jsonValue({ maxDepth: 3 }) }),
  fc.record({ kind: fc.constant('raw' as const), value: fc.string({ maxLength: 80 }) }),
  fc.record({ kind: fc.constant('none' as const), value: fc.constant(null) }),
)
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
)

function path(route: RouteDefinition, segments: readonly string[], encode: boolean): string {
  let index = 0
  const url = route.url.replace(/:([A-Za-z]+)/g, () => {
    const value = segments[index++ % segments.length] ?? ''
    return encode ? encodeURIComponent(value) : value.replace(/[/?#\s]/g, '_')
  })
  return route.isRoot ? url : `/api/v1${url}`
}

function queryString(pairs: readonly (readonly [string, string])[]): string {
  if (pairs.length === 0) return ''
  return `?${pairs.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&')}`
}

describe('malformed input to every route in the table', () => {
  it.each(ROUTES.map((route) => [routeKey(route), route] as const))(
    '%s never answers 5xx, and every 4xx is the error envelope',
    async (_key, route) => {
      const api = world.company.api
      await fc.assert(
        fc.asyncProperty(
          fc.array(segment, { minLength: 1, maxLength: 3 }),
          fc.boolean(),
          query,
          body,
          contentType,
          fc.boolean(),
          async (segments, encode, pairs, sent, type, useWorldIds) => {
            const url =
              (useWorldIds ? fillPath(route, world) : path(route, segments, encode)) + queryString(pairs)
            const payload =
              sent.kind === 'json' ? JSON.stringify(sent.value) : sent.kind === 'raw' ? sent.value : undefined
            const response = await api.request<{
              error?: { code: string; message: string; requestId: string }
            }>(
              route.method,
              url,
              payload === undefined ? {} : { rawBody: payload, headers: { 'content-type': type } },
            )
            expect(response.status, `${route.method} ${url} ${payload ?? ''}`).toBeLessThan(500)
            if (response.status >= 400) {
              const error = response.body.error
              expect(ERROR_CODES).toContain(error?.code)
              expect(error?.message).toEqual(expect.any(String))
              expect(error?.message.length).toBeGreaterThan(0)
              expect(error?.requestId).toBe(response.headers['x-request-id'])
            }
          },
        ),
        { numRuns: 30 },
      )
    },
  )
})
