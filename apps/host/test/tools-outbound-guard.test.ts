import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCompany, type TestCompany } from './support/tenant-fixtures.js'
import { expectStatus, TestApi } from './support/test-api.js'
import { startTestPlatform, type TestPlatform } from './support/test-platform.js'
import {
  type LocalServer,
  startLocalServer,
  startToolPlatform,
  type ToolPlatform,
} from './support/tool-platform.js'

interface TestResult {
  readonly ok: boolean
  readonly result?: unknown
  readonly error?: { code: string; message: string }
}

const ping = (url: string, extra: Record<string, unknown> = {}) => ({
  name: `net.t${Math.random().toString(36).slice(2, 10)}`,
  kind: 'http',
  description: 'Reaches a URL.',
  inputSchema: { type: 'object', properties: {} },
  http: { method: 'GET', url, ...extra },
})

describe('outbound guard when a tool is saved (default operator config: no loopback)', () => {
  let platform: TestPlatform
  let acme: TestCompany
  beforeAll(async () => {
    platform = await startTestPlatform()
    acme = await createCompany(new TestApi(platform.app), 'Acme')
  })
  afterAll(() => platform?.close())

  it.each([
    ['http://127.0.0.1:8080/admin', 'loopback'],
    ['http://127.1/', 'loopback'],
    ['http://0x7f.0.0.1/', 'loopback'],
    ['http://0x7f000001/', 'loopback'],
    ['http://2130706433/', 'loopback'],
    ['http://017700000001/', 'loopback'],
    ['http://0177.0.0.1/', 'loopback'],
    ['http://127.000.000.001/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://[0:0:0:0:0:0:0:1]/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://[::ffff:7f00:1]/', 'loopback'],
    ['http://localhost:3000/', 'loopback'],
    ['http://api.localhost/', 'loopback'],
    ['http://0.0.0.0/', 'reserved'],
    ['http://169.254.169.254/latest/meta-data/', 'metadata'],
    ['http://0xa9fea9fe/', 'metadata'],
    ['http://2852039166/', 'metadata'],
    ['http://0251.0376.0251.0376/', 'metadata'],
    ['http://169.254.43518/', 'metadata'],
    ['http://[::ffff:169.254.169.254]/', 'metadata'],
    ['http://[::ffff:a9fe:a9fe]/', 'metadata'],
    ['http://[fd00:ec2::254]/', 'private'],
    ['http://100.100.100.200/', 'CGNAT'],
    ['http://10.0.0.1/', 'private'],
    ['http://192.168.1.1/{id}', 'private'],
    ['http://[fe80::1]/', 'link-local'],
  ])('refuses %s (%s) with 400 INVALID_INPUT', async (url, reason) => {
    const body = ping(url)
    if (url.includes('{id}')) body.inputSchema = { type: 'object', properties: { id: { type: 'string' } } }
    const response = await acme.api.post<{ error: { code: string; message: string } }>('/api/v1/tools', body)
    expect(response.status, response.text).toBe(400)
    expect(response.body.error.code).toBe('INVALID_INPUT')
    expect(response.body.error.message).toContain(reason)
  })

  it('accepts a public host name (names are checked again on every call, after resolution)', async () => {
    expectStatus(await acme.api.post('/api/v1/tools', ping('https://api.example.com/v1/status')), 201)
  })
})

describe('outbound guard on every call of an HTTP tool (loopback allowed by the operator)', () => {
  let platform: ToolPlatform
  let server: LocalServer
  let acme: TestCompany
  let flakyGets = 0

  beforeAll(async () => {
    server = await startLocalServer((request, response) => {
      const path = request.url.split('?')[0]
      if (path === '/to-metadata') {
        response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/iam' }).end()
      } else if (path === '/to-private') {
        response.writeHead(307, { location: 'http://10.1.2.3/internal' }).end()
      } else if (path === '/flaky') {
        flakyGets += 1
        if (request.method === 'GET' && flakyGets % 2 === 1) response.writeHead(503).end('busy')
        else if (request.method === 'POST') response.writeHead(503).end('busy')
        else response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
      } else if (path === '/big-json') {
        const items = Array.from({ length: 2000 }, (_, index) => ({ index, text: 'lorem ipsum '.repeat(20) }))
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items }))
      } else if (path === '/big-text') {
        response.writeHead(200, { 'content-type': 'text/plain' }).end('abcdefghij'.repeat(10_000))
      } else {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"pong":true}')
      }
    })
    platform = await startToolPlatform({ AGENTRY_OUTBOUND_DENY_HOSTS: 'blocked.localhost' })
    acme = await createCompany(new TestApi(platform.app), 'Acme')
  })
  afterAll(async () => {
    await platform?.close()
    await server?.close()
  })

  async function run(body: Record<string, unknown>): Promise<TestResult> {
    const tool = expectStatus(await acme.api.post<{ data: { id: string } }>('/api/v1/tools', body), 201)
    const result = await acme.api.post<{ data: TestResult }>(`/api/v1/tools/${tool.body.data.id}/test`, {
      arguments: {},
    })
    return expectStatus(result, 200).body.data
  }

  it('reaches the local server when the operator allows loopback', async () => {
    expect(await run(ping(`${server.origin}/ping`))).toEqual(
      expect.objectContaining({ ok: true, result: { pong: true } }),
    )
  })

  it('checks every redirect again: one to the metadata address or a private one is refused', async () => {
    for (const path of ['/to-metadata', '/to-private']) {
      const result = await run(ping(`${server.origin}${path}`))
      expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
      expect(result.error?.message).toMatch(/169\.254\.169\.254|10\.1\.2\.3/)
    }
  })

  it("applies the operator's deny list and the tool's own allow list", async () => {
    const port = server.port
    expect(await run(ping(`http://blocked.localhost:${port}/ping`))).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('denied by the outbound policy') },
    })
    expect(await run(ping(`${server.origin}/ping`, { allowHosts: ['api.example.com'] }))).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('not on the allow list') },
    })
  })

  it('retries a GET that got a 503, never a POST', async () => {
    const before = server.requests.length
    expect(
      await run({ ...ping(`${server.origin}/flaky`), retry: { attempts: 3, backoffMs: 1 } }),
    ).toMatchObject({
      ok: true,
      result: { ok: true },
    })
    expect(server.requests.length - before).toBe(2)
    const post = {
      ...ping(`${server.origin}/flaky`, { method: 'POST' }),
      retry: { attempts: 3, backoffMs: 1 },
    }
    expect(await run(post)).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('HTTP 503') },
    })
    expect(server.requests.length - before).toBe(3)
  })

  it('cuts big responses safely: smaller valid JSON, or text marked truncated', async () => {
    const json = await run(ping(`${server.origin}/big-json`))
    expect(json.ok).toBe(true)
    const text = JSON.stringify(json.result)
    expect(text.length).toBeLessThanOrEqual(16_000)
    expect((json.result as { items: unknown[] }).items.at(-1)).toMatch(/more items$/)
    const cut = await run(ping(`${server.origin}/big-json`, { responseMaxBytes: 1000 }))
    expect(cut.result).toMatch(/\n\[truncated\]$/)
    const plain = await run(ping(`${server.origin}/big-text`))
    expect((plain.result as string).length).toBeLessThanOrEqual(16_000)
    expect(plain.result).toMatch(/^abcdefghij.*\n\[truncated\]$/s)
  })
})
