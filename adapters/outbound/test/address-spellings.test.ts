import type { LookupAddress } from 'node:dns'
import { CoreError } from '@agentry/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient } from '../src/create-outbound.js'
import { refusalFor, targetRefusal } from '../src/index.js'
import { type LocalServer, startServer } from './local-server.js'

const strict = { allowLoopback: false }

describe('refusalFor: the odd spellings and IPv6 forms', () => {
  it.each([
    ['::7f00:1', 'reserved'], // IPv4-compatible ::127.0.0.1
    ['::a00:1', 'reserved'], // IPv4-compatible ::10.0.0.1
    ['::ffff:0:7f00:1', 'reserved'], // IPv4-translated 127.0.0.1
    ['0:0:0:0:0:ffff:7f00:1', 'loopback'], // IPv4-mapped, long form
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'link-local or metadata'],
    ['64:ff9b::a9fe:a9fe', 'reserved'], // NAT64 of the metadata address
    ['2002:a9fe:a9fe::', 'reserved'], // 6to4 of the metadata address
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'], // Teredo
    ['fec0::1', 'link-local or metadata'], // site-local
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['not-an-address', 'reserved'],
  ])('refuses %s as %s', (address, reason) => {
    expect(refusalFor(address, strict)).toBe(reason)
  })

  it('lets public addresses through, and loopback only when the operator allows it', () => {
    expect(refusalFor('93.184.216.34', strict)).toBeNull()
    expect(refusalFor('2606:2800:220:1:248:1893:25c8:1946', strict)).toBeNull()
    expect(refusalFor('127.0.0.1', { allowLoopback: true })).toBeNull()
    expect(refusalFor('::1', { allowLoopback: true })).toBeNull()
    expect(refusalFor('10.0.0.1', { allowLoopback: true })).toBe('private')
    expect(refusalFor('169.254.169.254', { allowLoopback: true })).toBe('link-local or metadata')
  })
})

describe('targetRefusal: what a URL host reveals before any lookup', () => {
  it.each([
    'http://127.1/',
    'http://127.0.1/',
    'http://0x7f.1/',
    'http://0x7F000001/',
    'http://2130706433/',
    'http://0177.1/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::127.0.0.1]/',
    'http://localhost/',
    'http://LOCALHOST./',
    'http://app.localhost/',
  ])('knows %s is loopback-ish', (url) => {
    expect(targetRefusal(new URL(url).hostname, strict)).toMatch(/loopback|reserved/)
  })

  it.each([
    'http://169.254.169.254/',
    'http://0xa9fea9fe/',
    'http://2852039166/',
    'http://[::ffff:a9fe:a9fe]/',
  ])('knows %s is the metadata address', (url) => {
    expect(targetRefusal(new URL(url).hostname, strict)).toBe('link-local or metadata')
  })

  it('leaves names to the guard (they are resolved and checked on every request)', () => {
    expect(targetRefusal('api.example.com', strict)).toBeNull()
    expect(targetRefusal('localhost', { allowLoopback: true })).toBeNull()
    expect(targetRefusal('127.0.0.1', { allowLoopback: true })).toBeNull()
  })
})

describe('the guard with a resolver the test controls', () => {
  let server: LocalServer
  beforeAll(async () => {
    server = await startServer((incoming, response) => {
      if (incoming.url === '/to-intranet') {
        response.writeHead(301, { location: 'http://intranet.example/admin' }).end()
        return
      }
      response.end('ok')
    })
  })
  afterAll(() => server.close())

  const resolverFor =
    (table: Record<string, string[]>) =>
    async (host: string): Promise<LookupAddress[]> =>
      (table[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))

  async function failure(promise: Promise<unknown>): Promise<CoreError> {
    const error = await promise.then(
      () => null,
      (caught: unknown) => caught,
    )
    if (!CoreError.isInstance(error)) throw new Error(`expected a refusal, got ${String(error)}`)
    return error
  }

  const request = (url: string) => ({ method: 'GET' as const, url, timeoutMs: 2000, maxResponseBytes: 1024 })

  it('refuses names that resolve to IPv4-mapped, IPv4-compatible or NAT64 forms of internal addresses', async () => {
    const client = createHttpClient({
      resolver: resolverFor({
        'mapped.example': ['::ffff:10.0.0.1'],
        'compatible.example': ['::7f00:1'],
        'nat64.example': ['64:ff9b::a9fe:a9fe'],
      }),
    })
    for (const host of ['mapped.example', 'compatible.example', 'nat64.example']) {
      expect((await failure(client.request(request(`http://${host}/`)))).code, host).toBe('FORBIDDEN')
    }
  })

  it('refuses a redirect to a name that resolves to a private address, before connecting to it', async () => {
    const calls: string[] = []
    const resolver = resolverFor({ 'api.test': ['127.0.0.1'], 'intranet.example': ['192.168.10.5'] })
    const client = createHttpClient({
      allowLoopback: true,
      resolver: async (host) => {
        calls.push(host)
        return resolver(host)
      },
    })
    const error = await failure(client.request(request(`http://api.test:${server.port}/to-intranet`)))
    expect(error.code).toBe('FORBIDDEN')
    expect(error.message).toContain('intranet.example resolves to a private address')
    expect(calls).toEqual(['api.test', 'intranet.example'])
  })

  it('a name with no address at all is unavailable, not reachable', async () => {
    const client = createHttpClient({ resolver: resolverFor({}) })
    expect((await failure(client.request(request('http://empty.example/')))).code).toBe('UNAVAILABLE')
  })
})
