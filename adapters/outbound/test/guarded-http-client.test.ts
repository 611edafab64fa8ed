import type { LookupAddress } from 'node:dns'
import { CoreError, type HttpClient } from '@agentry/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient } from '../src/create-outbound.js'
import { type LocalServer, startServer } from './local-server.js'

const request = (url: string, extra: Partial<Parameters<HttpClient['request']>[0]> = {}) => ({
  method: 'GET' as const,
  url,
  timeoutMs: 2000,
  maxResponseBytes: 1024,
  ...extra,
})

function fakeDns(table: Record<string, string[]>) {
  const calls: string[] = []
  const resolver = async (hostname: string): Promise<LookupAddress[]> => {
    calls.push(hostname)
    const addresses = table[hostname]
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' })
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
  }
  return { resolver, calls }
}

async function refusal(client: HttpClient, url: string): Promise<CoreError> {
  const error = await client.request(request(url)).then(
    () => null,
    (caught: unknown) => caught,
  )
  if (!CoreError.isInstance(error)) throw new Error(`expected ${url} to be refused, got ${String(error)}`)
  return error
}

let server: LocalServer
let other: LocalServer
beforeAll(async () => {
  other = await startServer((_request, response) => response.end('other'))
  server = await startServer((incoming, response) => {
    const url = new URL(incoming.url ?? '/', 'http://x')
    if (url.pathname === '/big') return response.end('x'.repeat(5000))
    if (url.pathname === '/hang') return
    if (url.pathname === '/to-metadata')
      return response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end()
    if (url.pathname === '/to-other')
      return response.writeHead(307, { location: `${other.origin}/landing` }).end()
    if (url.pathname === '/see-other') return response.writeHead(303, { location: '/done' }).end()
    const hops = Number(url.searchParams.get('hops') ?? 0)
    if (url.pathname === '/loop') return response.writeHead(302, { location: `/loop?hops=${hops + 1}` }).end()
    response.setHeader('content-type', 'application/json')
    response.end(JSON.stringify({ path: url.pathname, method: incoming.method }))
  })
})
afterAll(async () => {
  await server.close()
  await other.close()
})

describe('addresses the platform never reaches', () => {
  const client = createHttpClient({ resolver: fakeDns({ localhost: ['127.0.0.1'] }).resolver })

  it.each([
    'http://127.0.0.1/',
    'http://127.1/',
    'http://0x7f.0.0.1/',
    'http://0x7f000001/',
    'http://2130706433/',
    'http://017700000001/',
    'http://0177.0.0.1/',
    'http://127.000.000.001/',
    'http://[::1]/',
    'http://[0:0:0:0:0:0:0:1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://localhost/',
    'http://0.0.0.0/',
    'http://0/',
    'http://[::]/',
  ])('refuses loopback spelled %s', async (url) => {
    const error = await refusal(client, url)
    expect(error.code).toBe('FORBIDDEN')
    expect(error.message).toMatch(/loopback|reserved/)
  })

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://0xa9fea9fe/',
    'http://2852039166/',
    'http://0251.0376.0251.0376/',
    'http://169.254.43518/',
    'http://0xa9.0xfe.0xa9.0xfe/',
    'http://[::ffff:169.254.169.254]/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://[fd00:ec2::254]/',
    'http://100.100.100.200/',
  ])('refuses cloud metadata spelled %s', async (url) => {
    expect((await refusal(client, url)).code).toBe('FORBIDDEN')
  })

  it.each([
    ['http://10.1.2.3/', 'private'],
    ['http://172.31.255.1/', 'private'],
    ['http://192.168.0.10/', 'private'],
    ['http://100.64.0.1/', 'shared (CGNAT)'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://[ff02::1]/', 'multicast'],
    ['http://[fe80::1]/', 'link-local or metadata'],
    ['http://[fc00::1]/', 'private'],
    ['http://[64:ff9b::a00:1]/', 'reserved'],
    ['http://[2002:7f00:1::]/', 'reserved'],
    ['http://[::ffff:8.8.8.8]/', 'reserved'],
  ])('refuses %s as %s', async (url, reason) => {
    const error = await refusal(client, url)
    expect(error.code).toBe('FORBIDDEN')
    expect(error.message).toContain(reason)
  })

  it('refuses a name that resolves to a private address, or to several of which one is private', async () => {
    const dns = fakeDns({
      'intranet.example': ['10.0.0.7'],
      'mixed.example': ['93.184.216.34', '192.168.1.1'],
    })
    const guarded = createHttpClient({ resolver: dns.resolver })
    expect((await refusal(guarded, 'http://intranet.example/')).message).toContain('private')
    expect((await refusal(guarded, 'https://mixed.example/')).code).toBe('FORBIDDEN')
  })

  it('says what is wrong with URLs it cannot use', async () => {
    expect((await refusal(client, 'file:///etc/passwd')).code).toBe('INVALID_INPUT')
    expect((await refusal(client, 'gopher://example.com/')).code).toBe('INVALID_INPUT')
    expect((await refusal(client, '/relative')).code).toBe('INVALID_INPUT')
    expect((await refusal(client, 'http://user:hunter2@example.com/')).message).not.toContain('hunter2')
  })

  it('reports a name that does not resolve as unavailable', async () => {
    expect((await refusal(client, 'http://nowhere.invalid/')).code).toBe('UNAVAILABLE')
  })
})

describe('with loopback allowed by the operator', () => {
  const dns = fakeDns({ 'api.test': ['127.0.0.1'] })
  const client = createHttpClient({ allowLoopback: true, resolver: dns.resolver })

  it('reaches the local server and returns status, headers and body', async () => {
    const response = await client.request(request(`${server.origin}/hello`))
    expect(response.status).toBe(200)
    expect(response.headers['content-type']).toBe('application/json')
    expect(JSON.parse(new TextDecoder().decode(response.body))).toEqual({ path: '/hello', method: 'GET' })
    expect(response.truncated).toBe(false)
  })

  it('connects to the address it checked, without a second lookup a rebinding DNS could answer', async () => {
    const rebinding = { calls: 0 }
    const pinned = createHttpClient({
      allowLoopback: true,
      resolver: async () => {
        rebinding.calls += 1
        return [{ address: rebinding.calls === 1 ? '127.0.0.1' : '10.0.0.1', family: 4 }]
      },
    })
    const response = await pinned.request(request(`http://rebind.invalid:${server.port}/pinned`))
    expect(response.status).toBe(200)
    expect(rebinding.calls).toBe(1)
    expect(server.requests.at(-1)?.headers.host).toBe(`rebind.invalid:${server.port}`)
  })

  it('cuts a large body at the limit', async () => {
    const response = await client.request(request(`${server.origin}/big`, { maxResponseBytes: 100 }))
    expect(response.body.length).toBe(100)
    expect(response.truncated).toBe(true)
  })

  it('checks every redirect again and refuses one to the metadata address', async () => {
    const error = await refusal(client, `${server.origin}/to-metadata`)
    expect(error.code).toBe('FORBIDDEN')
    expect(error.message).toContain('169.254.169.254')
  })

  it('follows at most three redirects', async () => {
    const error = await refusal(client, `${server.origin}/loop`)
    expect(error.code).toBe('UPSTREAM_ERROR')
    expect(server.requests.filter((entry) => entry.url.startsWith('/loop')).length).toBe(4)
  })

  it('drops credentials when a redirect leaves the origin, and turns 303 into GET', async () => {
    const response = await client.request(
      request(`${server.origin}/to-other`, { headers: { Authorization: 'Bearer s3cret' } }),
    )
    expect(new TextDecoder().decode(response.body)).toBe('other')
    expect(response.redirects).toBe(1)
    expect(other.requests.at(-1)?.headers.authorization).toBeUndefined()
    const seeOther = await client.request(
      request(`${server.origin}/see-other`, { method: 'POST', body: '{"a":1}' }),
    )
    expect(JSON.parse(new TextDecoder().decode(seeOther.body))).toEqual({ path: '/done', method: 'GET' })
  })

  it('times out a server that never answers, and honours the caller abort', async () => {
    const slow = await refusal(
      { request: (input) => client.request({ ...input, timeoutMs: 100 }) },
      `${server.origin}/hang`,
    )
    expect(slow.code).toBe('TIMEOUT')
    expect(slow.isRetryable).toBe(true)
    const controller = new AbortController()
    const pending = client.request(request(`${server.origin}/hang`), { signal: controller.signal })
    controller.abort()
    await expect(pending).rejects.toSatisfy((error) => CoreError.hasCode(error, 'CANCELLED'))
  })

  it('applies allow and deny host lists from the request and the platform', async () => {
    const denied = await client
      .request(request(`http://api.test:${server.port}/x`, { hosts: { deny: ['*.test'] } }))
      .catch((error: unknown) => error)
    expect(CoreError.hasCode(denied, 'FORBIDDEN')).toBe(true)
    const notAllowed = await client
      .request(request(`http://api.test:${server.port}/x`, { hosts: { allow: ['api.example.com'] } }))
      .catch((error: unknown) => error)
    expect(CoreError.hasCode(notAllowed, 'FORBIDDEN')).toBe(true)
    const allowed = await client.request(
      request(`http://api.test:${server.port}/x`, { hosts: { allow: ['api.test'] } }),
    )
    expect(allowed.status).toBe(200)
    const platform = createHttpClient({
      allowLoopback: true,
      denyHosts: ['api.test'],
      resolver: dns.resolver,
    })
    await expect(platform.request(request(`http://api.test:${server.port}/x`))).rejects.toSatisfy((error) =>
      CoreError.hasCode(error, 'FORBIDDEN'),
    )
  })
})
