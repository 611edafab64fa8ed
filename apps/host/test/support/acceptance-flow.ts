import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type ChatData,
  chat,
  chatStream,
  createAgent,
  createCompany,
  localRules,
  type TestAgent,
  type TestCompany,
} from './tenant-fixtures.js'
import { expectStatus, type Injector, TestApi } from './test-api.js'

interface Page<T> {
  readonly data: T[]
  readonly nextCursor: string | null
}

/** What the flow runs against: a platform behind `app.inject()`, or API processes over HTTP. */
export interface AcceptanceTarget {
  readonly app: Injector
  close(): Promise<void>
}

/**
 * The acceptance flow of the spec over HTTP (as far as the landed areas reach): a company and its
 * keys, an agent with prompt and rules, a two-turn session, a streamed turn, usage, and a second
 * company that sees none of it. Run on the embedded default, on PostgreSQL (+ Redis), and against
 * two API processes alternately (distributed.int.test.ts).
 */
export function describeAcceptance(title: string, start: () => Promise<AcceptanceTarget>): void {
  describe(title, () => {
    let platform: AcceptanceTarget
    let api: TestApi
    let acme: TestCompany
    let globex: TestCompany
    let agent: TestAgent
    const turns: ChatData[] = []

    beforeAll(async () => {
      platform = await start()
      api = new TestApi(platform.app)
    })
    afterAll(() => platform?.close())

    it('creates a company with its first admin key, and more keys with it', async () => {
      acme = await createCompany(api, 'Acme')
      expect(acme.apiKey).toMatch(/^agt_/)
      const created = expectStatus(
        await acme.api.post<{ data: { key: string; apiKey: { permissions: string[] } } }>(
          '/api/v1/api-keys',
          {
            name: 'support backend',
            permissions: ['chat:send', 'agents:view'],
          },
        ),
        201,
      )
      expect(created.body.data.apiKey.permissions).toEqual(['chat:send', 'agents:view'])
      const me = expectStatus(
        await acme.api.as(created.body.data.key).get<{ data: { companyId: string } }>('/api/v1/me'),
        200,
      )
      expect(me.body.data.companyId).toBe(acme.companyId)
    })

    it('creates an agent with a prompt and rules', async () => {
      agent = await createAgent(acme, {
        name: 'Helper',
        config: {
          systemPrompt: 'You help Acme customers.',
          rules: ['Be brief.'],
          providerOptions: localRules(
            [{ when: { contains: 'refund' }, reply: 'Refunds take 14 days. You asked: {{input}}' }],
            'Ask me about refunds.',
          ),
        },
      })
      expect(agent).toMatchObject({ name: 'Helper', version: 1 })
      const read = expectStatus(await acme.api.get<{ data: TestAgent }>(`/api/v1/agents/${agent.id}`), 200)
      expect(read.body.data.config).toMatchObject({
        systemPrompt: 'You help Acme customers.',
        rules: ['Be brief.'],
      })
    })

    it('chats in a session: the second turn is sent the first as history', async () => {
      const first = await chat(acme, agent.id, { message: 'How do refunds work?' })
      expect(first.message).toEqual({
        role: 'assistant',
        content: 'Refunds take 14 days. You asked: How do refunds work?',
      })
      expect(first.outcome.type).toBe('replied')
      const second = await chat(acme, agent.id, {
        message: 'How do refunds work?',
        sessionId: first.sessionId,
      })
      expect(second.sessionId).toBe(first.sessionId)
      // Same message, so the extra input tokens are the first exchange, sent as history.
      expect(second.usage.inputTokens).toBeGreaterThan(first.usage.inputTokens)
      turns.push(first, second)
      const messages = expectStatus(
        await acme.api.get<Page<{ role: string; content: string }>>(
          `/api/v1/sessions/${first.sessionId}/messages`,
        ),
        200,
      )
      expect(messages.body.data.map((message) => message.role)).toEqual([
        'user',
        'assistant',
        'user',
        'assistant',
      ])
    })

    it('streams a turn as server-sent events ending with turn-end', async () => {
      const sessionId = turns[0]!.sessionId
      const { events, result, contentType } = await chatStream(acme, agent.id, {
        message: 'And a refund for shoes?',
        sessionId,
      })
      expect(contentType).toContain('text/event-stream')
      expect(events[0]?.event).toBe('turn-start')
      const names = events.map((event) => event.event)
      expect(names).toContain('text-delta')
      expect(names.slice(-2)).toEqual(['usage', 'turn-end'])
      const streamed = events
        .filter((event) => event.event === 'text-delta')
        .map((event) => (event.data as { delta: string }).delta)
        .join('')
      expect(streamed).toBe(result.message.content)
      expect(result).toMatchObject({
        sessionId,
        message: { role: 'assistant' },
        outcome: { type: 'replied' },
      })
      turns.push(result)
    })

    it('replays a turn for a repeated Idempotency-Key instead of running it again', async () => {
      const headers = { 'idempotency-key': 'order-42' }
      const first = await chat(acme, agent.id, { message: 'refund please' }, headers)
      const again = await chat(acme, agent.id, { message: 'refund please' }, headers)
      expect(again.turnId).toBe(first.turnId)
      expect(again.message).toEqual(first.message)
      turns.push(first)
    })

    it('records usage events for every turn, and sums them', async () => {
      const events = expectStatus(
        await acme.api.get<Page<{ turnId: string; kind: string; provider: string }>>(
          `/api/v1/usage/events?agentId=${agent.id}&limit=200`,
        ),
        200,
      )
      const billedTurns = new Set(events.body.data.map((event) => event.turnId))
      for (const turn of turns) expect(billedTurns).toContain(turn.turnId)
      expect(events.body.data).toHaveLength(turns.length)
      expect(
        events.body.data.every((event) => event.kind === 'llm.tokens' && event.provider === 'local'),
      ).toBe(true)
      const summary = expectStatus(
        await acme.api.get<{ data: { kind: string; events: number; inputTokens: number }[] }>(
          '/api/v1/usage/summary?groupBy=kind',
        ),
        200,
      )
      expect(summary.body.data).toEqual([
        expect.objectContaining({ kind: 'llm.tokens', events: turns.length }),
      ])
      const total = turns.reduce((sum, turn) => sum + turn.usage.inputTokens, 0)
      expect(summary.body.data[0]?.inputTokens).toBe(total)
    })

    it('shows a second company none of it', async () => {
      globex = await createCompany(api, 'Globex')
      const lists = ['/api/v1/agents', '/api/v1/sessions', '/api/v1/usage/events']
      for (const url of lists) {
        const response = expectStatus(await globex.api.get<Page<unknown>>(url), 200)
        expect(response.body.data, url).toEqual([])
      }
      const summary = expectStatus(
        await globex.api.get<{ data: { events: number }[] }>('/api/v1/usage/summary'),
        200,
      )
      expect(summary.body.data.every((row) => row.events === 0)).toBe(true)
      const audit = expectStatus(
        await globex.api.get<Page<{ resourceId: string }>>('/api/v1/audit?limit=200'),
        200,
      )
      expect(audit.body.data.map((entry) => entry.resourceId)).not.toContain(agent.id)
      const sessionId = turns[0]!.sessionId
      for (const url of [
        `/api/v1/agents/${agent.id}`,
        `/api/v1/sessions/${sessionId}`,
        `/api/v1/sessions/${sessionId}/messages`,
      ]) {
        const response = await globex.api.get<{ error: { code: string } }>(url)
        expect([response.status, response.body.error.code], url).toEqual([404, 'NOT_FOUND'])
      }
      const stolen = await globex.api.post<{ error: { code: string } }>(`/api/v1/agents/${agent.id}/chat`, {
        message: 'refund',
        sessionId,
      })
      expect([stolen.status, stolen.body.error.code]).toEqual([404, 'NOT_FOUND'])
    })
  })
}
