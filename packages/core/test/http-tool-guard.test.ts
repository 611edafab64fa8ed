import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createHttpClient, type Resolver } from '@agentry/outbound'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createToolWorld, type ToolWorld } from './tool-world.js'

/**
 * HTTP tools over the real outbound guard (@agentry/outbound) with an injected resolver, so names
 * can resolve to whatever the test needs: the guard is exercised through the tool runtime.
 */
let origin: { port: number; close: () => Promise<void>; hits: string[] }
beforeAll(async () => {
  const hits: string[] = []
  const server = createServer((request, response) => {
    hits.push(`${request.headers.host} ${request.url}`)
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"pong":true}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = {
    port: (server.address() as AddressInfo).port,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
})
afterAll(() => origin.close())

let world: ToolWorld
afterEach(() => world?.close())

function dns(answers: (host: string, call: number) => string) {
  let calls = 0
  const resolver = async (host: string) => {
    calls += 1
    const address = answers(host, calls)
    return [{ address, family: address.includes(':') ? 6 : 4 }]
  }
  return { resolver, calls: () => calls }
}

async function runTool(url: string, resolver: Resolver) {
  world = createToolWorld({ http: createHttpClient({ allowLoopback: true, resolver }) })
  const { context } = await world.company()
  const tool = await world.agentry.toolDefinitions.create(context, {
    name: 'net.ping',
    kind: 'http',
    description: 'Ping.',
    http: { method: 'GET', url },
  })
  return world.agentry.toolDefinitions.test(context, tool.id, {})
}

describe('HTTP tools through the outbound guard', () => {
  it.each([
    ['10.0.0.7', 'private'],
    ['192.168.1.20', 'private'],
    ['169.254.169.254', 'link-local or metadata'],
    ['100.100.100.200', 'shared (CGNAT)'],
    ['::ffff:10.0.0.7', 'private'],
    ['fd00:ec2::254', 'private'],
    ['fe80::1', 'link-local or metadata'],
  ])('refuses a name that resolves to %s (%s), and sends nothing', async (address, reason) => {
    const before = origin.hits.length
    const result = await runTool(`http://crm.example.com:${origin.port}/ping`, dns(() => address).resolver)
    expect(result).toMatchObject({
      ok: false,
      status: 'error',
      error: { code: 'FORBIDDEN', message: expect.stringContaining(reason) },
    })
    expect(origin.hits.length).toBe(before)
  })

  it('connects to the address it checked: a rebinding DNS answering differently later is never asked again', async () => {
    const rebinding = dns((_host, call) => (call === 1 ? '127.0.0.1' : '10.0.0.1'))
    const result = await runTool(`http://rebind.example.com:${origin.port}/pinned`, rebinding.resolver)
    expect(result).toMatchObject({ ok: true, result: { pong: true } })
    expect(rebinding.calls()).toBe(1)
    expect(origin.hits.at(-1)).toBe(`rebind.example.com:${origin.port} /pinned`)
  })

  it('does not retry a refusal: the resolver is asked once per call', async () => {
    const resolver = dns(() => '10.9.9.9')
    world = createToolWorld({ http: createHttpClient({ allowLoopback: true, resolver: resolver.resolver }) })
    const { context } = await world.company()
    const tool = await world.agentry.toolDefinitions.create(context, {
      name: 'net.ping',
      kind: 'http',
      description: 'Ping.',
      retry: { attempts: 5, backoffMs: 0 },
      http: { method: 'GET', url: 'http://internal.example.com/' },
    })
    expect((await world.agentry.toolDefinitions.test(context, tool.id, {})).ok).toBe(false)
    expect(resolver.calls()).toBe(1)
  })
})
