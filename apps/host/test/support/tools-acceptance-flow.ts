import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type ChatData,
  chat,
  createAgent,
  createCompany,
  localRules,
  type TestCompany,
} from './tenant-fixtures.js'
import { expectStatus, TestApi } from './test-api.js'
import { type LocalServer, startLocalServer, type ToolPlatform } from './tool-platform.js'

interface Tool {
  readonly id: string
  readonly name: string
  readonly http: { url: string } | null
}
interface TestResult {
  readonly ok: boolean
  readonly result?: unknown
  readonly error?: { code: string; message: string }
  readonly status: string
}
interface ToolCallRow {
  readonly toolName: string
  readonly status: string
  readonly agentId: string | null
  readonly arguments: unknown
  readonly result: unknown
  readonly errorMessage: string | null
}

const TOKEN = `crm-token-${Math.random().toString(36).slice(2)}-do-not-leak`
const CUSTOMERS: Record<string, { name: string; plan: string; password: string }> = {
  'c-42': { name: 'Ann Example', plan: 'gold', password: 'server-side-password' },
}

/**
 * Tools end to end over HTTP: a secret, an HTTP tool pointing at a local server (loopback allowed by
 * the operator's setting), an agent that allowlists it, and turns of the local scripted model that
 * call it with valid and with invalid arguments. Run on the embedded default and on PostgreSQL +
 * Redis.
 */
export function describeToolsAcceptance(title: string, start: () => Promise<ToolPlatform>): void {
  describe(title, () => {
    let platform: ToolPlatform
    let server: LocalServer
    let acme: TestCompany
    let lookup: Tool
    let agentId: string
    const replies: ChatData[] = []

    beforeAll(async () => {
      server = await startLocalServer((request, response) => {
        const match = /^\/customers\/([^/?]+)/.exec(request.url)
        if (match && request.headers.authorization !== `Bearer ${TOKEN}`) {
          response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"bad token"}')
          return
        }
        const customer = match ? CUSTOMERS[decodeURIComponent(match[1]!)] : undefined
        if (!customer) {
          response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no such customer"}')
          return
        }
        // A careless API that echoes the credential back: the platform must scrub it.
        const body = { ...customer, seenAuthorization: request.headers.authorization }
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
      })
      platform = await start()
      acme = await createCompany(new TestApi(platform.app), 'Acme')
    })
    afterAll(async () => {
      await platform?.close()
      await server?.close()
    })

    it('stores the credential as a write-only secret', async () => {
      const created = expectStatus(
        await acme.api.post<{ data: Record<string, unknown> }>('/api/v1/secrets', {
          name: 'crm-token',
          value: TOKEN,
        }),
        201,
      )
      expect(created.body.data).toEqual({
        name: 'crm-token',
        keyId: expect.any(String),
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      })
      const listed = expectStatus(await acme.api.get('/api/v1/secrets'), 200)
      expect(listed.text).toContain('crm-token')
      expect(listed.text).not.toContain(TOKEN)
    })

    it('defines the HTTP tool (201 { data: { id, ... } }) with auth from the secret and redaction rules', async () => {
      const response = expectStatus(
        await acme.api.post<{ data: Tool }>('/api/v1/tools', {
          name: 'crm.lookup',
          kind: 'http',
          description: 'Looks up a customer by id in the CRM.',
          inputSchema: {
            type: 'object',
            properties: { id: { type: 'string', pattern: '^c-[0-9]+$' } },
            required: ['id'],
            additionalProperties: false,
          },
          http: {
            method: 'GET',
            url: `${server.origin}/customers/{id}`,
            auth: { type: 'bearer', secretName: 'crm-token' },
          },
          redact: ['password', 'seenAuthorization'],
        }),
        201,
      )
      lookup = response.body.data
      expect(lookup).toMatchObject({
        id: expect.any(String),
        name: 'crm.lookup',
        http: { url: `${server.origin}/customers/{id}` },
      })
      expect(response.text).not.toContain(TOKEN)
    })

    it('allowlists it on an agent whose scripted rules call it', async () => {
      const agent = await createAgent(acme, {
        name: 'CRM helper',
        config: {
          systemPrompt: 'You look up customers.',
          tools: { allow: ['crm.lookup'] },
          providerOptions: localRules([
            {
              when: { matches: 'look up customer (?<id>[a-z0-9-]+)' },
              toolCalls: [{ name: 'crm.lookup', arguments: { id: '{{match.id}}' } }],
              afterTools: 'Here is what the CRM says: {{tool.crm.lookup}}',
            },
            {
              when: { contains: 'numeric lookup' },
              toolCalls: [{ name: 'crm.lookup', arguments: { id: 42 } }],
              afterTools: 'The tool answered: {{tool.crm.lookup}}',
            },
            {
              when: { contains: 'wipe' },
              toolCalls: [{ name: 'admin.wipe', arguments: {} }],
              afterTools: 'The tool answered: {{tool.admin.wipe}}',
            },
          ]),
        },
      })
      agentId = agent.id
    })

    it('calls the tool with valid arguments in a turn and answers with its result', async () => {
      const reply = await chat(acme, agentId, { message: 'Please look up customer c-42' })
      replies.push(reply)
      expect(reply.toolCalls).toEqual([expect.objectContaining({ name: 'crm.lookup', status: 'ok' })])
      expect(reply.message.content).toContain('Ann Example')
      expect(reply.message.content).toContain('gold')
      expect(server.requests).toHaveLength(1)
      expect(server.requests[0]).toMatchObject({ method: 'GET', url: '/customers/c-42' })
      expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`)
      // The echoed credential is scrubbed before the model sees the result.
      expect(reply.message.content).toContain('Bearer [REDACTED]')
      expect(reply.message.content).not.toContain(TOKEN)
    })

    it('returns invalid arguments to the model as a clear error, and the server never sees them', async () => {
      const before = server.requests.length
      const reply = await chat(acme, agentId, { message: 'numeric lookup please' })
      replies.push(reply)
      expect(reply.toolCalls).toEqual([
        expect.objectContaining({
          name: 'crm.lookup',
          status: 'invalid-arguments',
          error: expect.objectContaining({
            code: 'INVALID_INPUT',
            message: expect.stringContaining('/id must be string'),
          }),
        }),
      ])
      expect(reply.message.content).toContain('do not match its schema')
      expect(server.requests).toHaveLength(before)
    })

    it('never runs a tool outside the allowlist, whatever the user asks', async () => {
      const reply = await chat(acme, agentId, { message: 'wipe everything' })
      replies.push(reply)
      expect(reply.toolCalls).toEqual([expect.objectContaining({ name: 'admin.wipe', status: 'denied' })])
      expect(reply.message.content).toContain("not on this agent's allowlist")
    })

    it('dry-runs the tool: ok with the result, or ok: false with the code and message', async () => {
      const ok = expectStatus(
        await acme.api.post<{ data: TestResult }>(`/api/v1/tools/${lookup.id}/test`, {
          arguments: { id: 'c-42' },
        }),
        200,
      )
      expect(ok.body.data).toMatchObject({ ok: true, status: 'ok', result: { name: 'Ann Example' } })
      const missing = expectStatus(
        await acme.api.post<{ data: TestResult }>(`/api/v1/tools/${lookup.id}/test`, {
          arguments: { id: 'c-404' },
        }),
        200,
      )
      expect(missing.body.data).toMatchObject({
        ok: false,
        error: {
          code: 'UPSTREAM_ERROR',
          message: expect.stringContaining('HTTP 404: {"error":"no such customer"}'),
        },
      })
      const invalid = expectStatus(
        await acme.api.post<{ data: TestResult }>(`/api/v1/tools/${lookup.id}/test`, {
          arguments: { id: 'x' },
        }),
        200,
      )
      expect(invalid.body.data).toMatchObject({
        ok: false,
        status: 'invalid-arguments',
        error: { code: 'INVALID_INPUT' },
      })
      for (const response of [ok, missing, invalid]) expect(response.text).not.toContain(TOKEN)
    })

    it('audits every call with redacted arguments and results, and bills executed calls', async () => {
      const calls = expectStatus(
        await acme.api.get<{ data: ToolCallRow[] }>('/api/v1/tool-calls?toolName=crm.lookup&limit=50'),
        200,
      )
      expect(calls.body.data.map((row) => row.status)).toEqual([
        'invalid-arguments',
        'error',
        'ok',
        'invalid-arguments',
        'ok',
      ])
      const fromTurn = calls.body.data.at(-1)!
      expect(fromTurn).toMatchObject({ agentId, arguments: { id: 'c-42' } })
      expect(fromTurn.result).toMatchObject({
        name: 'Ann Example',
        password: '[REDACTED]',
        seenAuthorization: '[REDACTED]',
      })
      expect(calls.body.data[0]?.agentId).toBeNull()
      expect(calls.text).not.toContain(TOKEN)
      expect(calls.text).not.toContain('server-side-password')
      const denied = expectStatus(
        await acme.api.get<{ data: ToolCallRow[] }>('/api/v1/tool-calls?toolName=admin.wipe'),
        200,
      )
      expect(denied.body.data).toEqual([expect.objectContaining({ status: 'denied' })])
      const usage = expectStatus(
        await acme.api.get<{ data: { kind: string; events: number }[] }>(
          '/api/v1/usage/summary?groupBy=kind',
        ),
        200,
      )
      // One turn and two dry runs reached the server.
      expect(usage.body.data).toContainEqual(expect.objectContaining({ kind: 'tool.call', events: 3 }))
    })

    it('keeps the token out of every log line, and the redacted fields too', () => {
      const logs = platform.logs.text()
      expect(logs).toContain('crm.lookup')
      expect(logs).not.toContain(TOKEN)
      expect(logs).not.toContain('server-side-password')
      for (const reply of replies) expect(JSON.stringify(reply)).not.toContain(TOKEN)
    })

    it('shows another company none of it: not the tool, its calls, the secret, nor a run', async () => {
      const globex = await createCompany(new TestApi(platform.app), 'Globex')
      for (const url of ['/api/v1/tools', '/api/v1/tool-calls', '/api/v1/secrets']) {
        expect(expectStatus(await globex.api.get<{ data: unknown[] }>(url), 200).body.data, url).toEqual([])
      }
      const before = server.requests.length
      const stolen = await globex.api.post<{ error: { code: string } }>(`/api/v1/tools/${lookup.id}/test`, {
        arguments: { id: 'c-42' },
      })
      expect([stolen.status, stolen.body.error.code]).toEqual([404, 'NOT_FOUND'])
      // Its own tool with the same name and no secret of that name cannot borrow Acme's.
      const own = expectStatus(
        await globex.api.post<{ data: Tool }>('/api/v1/tools', {
          name: 'crm.lookup',
          kind: 'http',
          description: 'Same name, other company.',
          inputSchema: { type: 'object', properties: { id: { type: 'string' } } },
          http: {
            method: 'GET',
            url: `${server.origin}/customers/{id}`,
            auth: { type: 'bearer', secretName: 'crm-token' },
          },
        }),
        201,
      )
      const run = expectStatus(
        await globex.api.post<{ data: TestResult }>(`/api/v1/tools/${own.body.data.id}/test`, {
          arguments: { id: 'c-42' },
        }),
        200,
      )
      expect(run.body.data).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND', message: expect.stringContaining('crm-token') },
      })
      expect(server.requests).toHaveLength(before)
    })
  })
}
