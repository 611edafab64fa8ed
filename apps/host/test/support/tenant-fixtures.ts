import type { Permission, Role } from '@agentry/contracts'
import { parseServerSentEvents, type ServerSentEvent } from './server-sent-events.js'
import { expectStatus, type TestApi } from './test-api.js'
import { ADMIN_TOKEN } from './test-platform.js'

export interface TestCompany {
  readonly companyId: string
  /** The company's first admin API key. */
  readonly apiKey: string
  /** Authenticated with `apiKey`. */
  readonly api: TestApi
}

/** `POST /api/v1/companies` with the platform admin token. */
export async function createCompany(api: TestApi, name: string): Promise<TestCompany> {
  const response = expectStatus(
    await api
      .as(ADMIN_TOKEN)
      .post<{ data: { company: { id: string }; apiKey: string } }>('/api/v1/companies', {
        name,
      }),
    201,
  )
  const { company, apiKey } = response.body.data
  return { companyId: company.id, apiKey, api: api.as(apiKey) }
}

export interface TestAgent {
  readonly id: string
  readonly name: string
  readonly version: number
  readonly config: Record<string, unknown>
}

/** Scripted rules for the local model, the way agent configs carry them. */
export function localRules(rules: readonly Record<string, unknown>[], unknownReply?: string) {
  return { local: { rules, ...(unknownReply ? { unknownReply } : {}) } }
}

export async function createAgent(
  company: TestCompany,
  body: { name: string; config?: Record<string, unknown> },
): Promise<TestAgent> {
  return expectStatus(await company.api.post<{ data: TestAgent }>('/api/v1/agents', body), 201).body.data
}

export interface ChatData {
  readonly sessionId: string
  readonly turnId: string
  readonly message: { readonly role: string; readonly content: string }
  readonly citations: unknown[]
  readonly toolCalls: { name: string; status: string }[]
  readonly usage: { readonly inputTokens: number; readonly outputTokens: number; readonly modelCalls: number }
  readonly outcome: { readonly type: string }
}

export async function chat(
  company: TestCompany,
  agentId: string,
  body: { message: string; sessionId?: string; [key: string]: unknown },
  headers: Record<string, string> = {},
): Promise<ChatData> {
  const response = await company.api.post<{ data: ChatData }>(`/api/v1/agents/${agentId}/chat`, body, {
    headers,
  })
  return expectStatus(response, 200).body.data
}

/** A streamed turn: the parsed events and the `turn-end` result (the same shape as `chat`). */
export async function chatStream(
  company: TestCompany,
  agentId: string,
  body: { message: string; sessionId?: string },
): Promise<{ events: ServerSentEvent[]; result: ChatData; contentType: string }> {
  const response = expectStatus(
    await company.api.post(`/api/v1/agents/${agentId}/chat`, body, {
      headers: { accept: 'text/event-stream' },
    }),
    200,
  )
  const events = parseServerSentEvents(response.text)
  const end = events.at(-1)
  if (end?.event !== 'turn-end') throw new Error(`the stream did not end with turn-end: ${response.text}`)
  return { events, result: end.data as ChatData, contentType: String(response.headers['content-type']) }
}

/** A user of the company with `role`, logged in: returns a TestApi with the user's token. */
export async function loginAs(company: TestCompany, role: Role, email = `${role}-${Date.now()}@example.com`) {
  const password = 'correct horse battery staple'
  const created = await company.api.post<{ data: { id: string } }>('/api/v1/users', {
    email,
    name: `${role} user`,
    role,
    password,
  })
  expectStatus(created, 201)
  const login = await company.api.as(undefined).post<{ data: { token: string } }>('/api/v1/auth/login', {
    email,
    password,
    companyId: company.companyId,
  })
  return { userId: created.body.data.id, api: company.api.as(expectStatus(login, 200).body.data.token) }
}

/** An API key of the company holding exactly `permissions`. */
export async function keyWith(company: TestCompany, permissions: readonly Permission[]): Promise<TestApi> {
  const created = await company.api.post<{ data: { key: string } }>('/api/v1/api-keys', {
    name: `key with ${permissions.join(' ')}`,
    permissions,
  })
  return company.api.as(expectStatus(created, 201).body.data.key)
}
