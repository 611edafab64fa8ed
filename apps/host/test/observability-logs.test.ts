import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { describeAcceptance } from './support/acceptance-flow.js'
import {
  type Exchange,
  type ObservedPlatform,
  parseLogLines,
  startObservedPlatform,
} from './support/observed-platform.js'
import { createCompany, loginAs } from './support/tenant-fixtures.js'
import { expectStatus, TestApi } from './support/test-api.js'
import { describeToolsAcceptance } from './support/tools-acceptance-flow.js'

/** Platform secrets of the process: none of them may reach a log line. */
const PLATFORM_SECRETS = {
  OPENAI_API_KEY: `sk-platform-${randomBytes(12).toString('hex')}`,
  ANTHROPIC_API_KEY: `sk-ant-platform-${randomBytes(12).toString('hex')}`,
  AGENTRY_JWT_SECRET: `jwt-secret-${randomBytes(16).toString('hex')}`,
  AGENTRY_MASTER_KEY: randomBytes(32).toString('base64'),
}

const ENVIRONMENT = {
  ...PLATFORM_SECRETS,
  AGENTRY_LOG_LEVEL: 'trace',
  AGENTRY_OUTBOUND_ALLOW_LOOPBACK: 'true',
  // A field the operator wants out of the logs: the customer id the tools flow's tool is called with.
  AGENTRY_LOG_REDACT: 'arguments.id',
}

/** Fields whose string values are credentials, in request bodies (secrets, passwords) and replies (keys, tokens). */
const CREDENTIAL_FIELDS = new Set(['password', 'value', 'key', 'apiKey', 'token', 'secret'])

function credentialsIn(json: string, found: Set<string>): void {
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    return
  }
  const walk = (value: unknown, field?: string): void => {
    if (typeof value === 'string') {
      // Values the API already shows redacted (audit rows) are no secret.
      const isCredential = field && CREDENTIAL_FIELDS.has(field) && !value.includes('[REDACTED]')
      if (isCredential && value.length >= 8) found.add(value)
    } else if (Array.isArray(value)) for (const item of value) walk(item)
    else if (value && typeof value === 'object') {
      for (const [name, inner] of Object.entries(value)) walk(inner, name)
    }
  }
  walk(parsed)
}

/** Every credential the tests sent or received, and the platform's own secrets. */
function secretsOf(exchanges: readonly Exchange[]): string[] {
  const found = new Set<string>(Object.values(PLATFORM_SECRETS))
  for (const exchange of exchanges) {
    const authorization = exchange.requestHeaders.authorization
    if (typeof authorization === 'string') found.add(authorization.replace(/^Bearer\s+/i, ''))
    credentialsIn(exchange.requestBody, found)
    credentialsIn(exchange.responseBody, found)
  }
  return [...found]
}

interface Observed {
  readonly platform: ObservedPlatform
  /** Log lines before this one were written while the server started. */
  readonly firstFlowLine: number
}

/** Starts the platform for a flow; it stays open after the flow (its `close` is deferred) for the checks. */
async function startForFlow(assign: (observed: Observed) => void): Promise<ObservedPlatform> {
  const platform = await startObservedPlatform(ENVIRONMENT)
  assign({ platform, firstFlowLine: platform.logs.lines.length })
  return { ...platform, close: async () => undefined }
}

function describeLogChecks(title: string, observed: () => Observed): void {
  describe(title, () => {
    let lines: Record<string, unknown>[] = []
    let flowLines: Record<string, unknown>[] = []

    afterAll(() => observed()?.platform.close())

    it('logs in users with passwords and stores a company provider key, on the same platform', async () => {
      const { platform } = observed()
      const company = await createCompany(new TestApi(platform.app), 'Initech')
      const user = await loginAs(company, 'operator')
      expectStatus(await user.api.get('/api/v1/me'), 200)
      const wrong = await company.api.as(undefined).post('/api/v1/auth/login', {
        email: 'nobody@example.com',
        password: `wrong-password-${randomBytes(6).toString('hex')}`,
        companyId: company.companyId,
      })
      expect(wrong.status).toBe(401)
      expectStatus(
        await company.api.post('/api/v1/secrets', {
          name: 'openai_api_key',
          value: `sk-company-${randomBytes(16).toString('hex')}`,
        }),
        201,
      )
      const forged = await company.api
        .as(`agt_0123456789ab_${randomBytes(16).toString('hex')}`)
        .get('/api/v1/me')
      expect(forged.status).toBe(401)
    })

    it('writes JSON lines, and none holds an API key, user token, password, secret or provider key', async () => {
      const { platform, firstFlowLine } = observed()
      const flowEnd = platform.logs.lines.length
      await platform.close()
      lines = parseLogLines(platform.logs.lines)
      flowLines = lines.slice(firstFlowLine, flowEnd)
      const secrets = secretsOf(platform.exchanges)
      // The flows exchanged admin, API key and user credentials, passwords and secret values.
      expect(secrets.length).toBeGreaterThan(10)
      const text = platform.logs.text()
      for (const secret of secrets) expect(text, 'a secret reached the logs').not.toContain(secret)
    })

    it('puts the request id on every line written while requests ran, and only ids of real requests', () => {
      const { platform } = observed()
      const requestIds = new Set(platform.exchanges.map((exchange) => exchange.requestId))
      const requestLines = flowLines.filter((line) => line.requestId !== undefined)
      expect(requestLines.length).toBeGreaterThan(platform.exchanges.length)
      for (const line of flowLines) {
        // Lines of background jobs carry their job id instead.
        if (line.jobId !== undefined) continue
        expect(line, `a log line without request id: ${JSON.stringify(line)}`).toHaveProperty('requestId')
        expect(requestIds.has(String(line.requestId)), String(line.requestId)).toBe(true)
      }
      for (const exchange of platform.exchanges) {
        const summary = lines.filter(
          (line) => line.msg === 'request' && line.requestId === exchange.requestId,
        )
        expect(summary, `${exchange.method} ${exchange.url}`).toHaveLength(1)
        expect(summary[0]).toMatchObject({ method: exchange.method, status: exchange.status })
        expect(summary[0]?.path).toBe(exchange.url.split('?')[0])
      }
    })

    it('gives turn lines the request, company, agent, session and turn ids of the chat request', () => {
      const { platform } = observed()
      const exchanges = new Map(platform.exchanges.map((exchange) => [exchange.requestId, exchange]))
      const turnLines = lines.filter((line) => line.msg === 'turn' || line.msg === 'turn failed')
      expect(turnLines.length).toBeGreaterThan(0)
      for (const line of turnLines) {
        const exchange = exchanges.get(String(line.requestId))
        expect(exchange?.url, JSON.stringify(line)).toMatch(/\/chat$/)
        for (const field of ['companyId', 'agentId', 'sessionId', 'turnId']) {
          expect(typeof line[field], field).toBe('string')
        }
        expect(exchange?.url).toContain(String(line.agentId))
        expect(exchange?.responseBody).toContain(String(line.turnId))
      }
    })

    it('gives lines of authenticated requests their company', () => {
      const { platform } = observed()
      const tenantRequests = platform.exchanges.filter(
        (exchange) =>
          exchange.status < 400 &&
          typeof exchange.requestHeaders.authorization === 'string' &&
          exchange.requestHeaders.authorization.includes('agt_'),
      )
      expect(tenantRequests.length).toBeGreaterThan(5)
      for (const exchange of tenantRequests) {
        const summary = lines.find((line) => line.msg === 'request' && line.requestId === exchange.requestId)
        expect(summary?.companyId, exchange.url).toEqual(expect.any(String))
      }
    })
  })
}

let core: Observed
describeAcceptance('observed: the acceptance flow on the real server (embedded)', () =>
  startForFlow((observed) => {
    core = observed
  }),
)
describeLogChecks('the logs of the acceptance flow', () => core)

let tools: Observed
describeToolsAcceptance('observed: HTTP tools called from a chat turn, secrets in use', () =>
  startForFlow((observed) => {
    tools = observed
  }),
)
describeLogChecks('the logs of the tools flow', () => tools)

describe('configured redaction', () => {
  it('redacts the fields AGENTRY_LOG_REDACT names (the tool call arguments of the tools flow)', () => {
    const toolLines = parseLogLines(tools.platform.logs.lines).filter(
      (line) => typeof line.tool === 'string' && (line.arguments as { id?: unknown } | undefined)?.id,
    )
    // The valid lookup, the dry run and the numeric lookup (invalid arguments) at least.
    expect(toolLines.length).toBeGreaterThanOrEqual(3)
    for (const line of toolLines) expect((line.arguments as { id: unknown }).id).toBe('[REDACTED]')
  })
})
