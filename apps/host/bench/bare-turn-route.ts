import type {
  AgentId,
  CompanyId,
  Message,
  MessageId,
  Session,
  SessionId,
  Stores,
  Turn,
  TurnId,
  TurnResult,
  UsageEventId,
} from '@agentry/contracts'
import { createUuidV7Generator, tenantScope } from '@agentry/contracts'
import Fastify, { type FastifyInstance } from 'fastify'

const USAGE = {
  inputTokens: 12,
  outputTokens: 6,
  cachedInputTokens: 0,
  modelCalls: 1,
  toolCalls: 0,
  kbQueries: 0,
  embeddingTokens: 0,
}

/**
 * The benchmark's baseline: a bare Fastify route that does the database work of a plain chat turn
 * with nothing else (no auth, rate limits, validation, lock, model or orchestrator): the same
 * `turns.load` and `turns.commit` the orchestrator does, with a new session, the user and
 * assistant messages and one usage event.
 */
export async function bareTurnApp(stores: Stores, companyId: CompanyId): Promise<FastifyInstance> {
  const ids = createUuidV7Generator()
  const scope = tenantScope(companyId)
  const app = Fastify({ logger: false })
  app.post<{ Params: { agentId: string }; Body: { message: string } }>('/bare/:agentId', async (request) => {
    const agentId = request.params.agentId as AgentId
    const context = await stores.turns.load(scope, { agentId })
    const now = new Date()
    const sessionId = ids.next() as SessionId
    const turnId = ids.next() as TurnId
    const content = `Noted: ${request.body.message}`
    const result: TurnResult = {
      turnId,
      sessionId,
      agentId,
      agentVersion: context.version?.version ?? 1,
      outcome: { type: 'replied' },
      message: { role: 'assistant', content },
      output: null,
      citations: [],
      toolCalls: [],
      usage: USAGE,
      warnings: [],
    }
    const message = (role: 'user' | 'assistant', text: string): Message => ({
      id: ids.next() as MessageId,
      companyId,
      sessionId,
      turnId,
      role,
      content: text,
      toolCalls: [],
      toolCallId: null,
      toolName: null,
      citations: [],
      tokenCount: 6,
      createdAt: now,
    })
    const session: Session = {
      id: sessionId,
      companyId,
      agentId,
      channel: 'api',
      externalUserId: null,
      summary: null,
      metadata: {},
      messageCount: 2,
      createdAt: now,
      updatedAt: now,
    }
    const turn: Turn = {
      id: turnId,
      companyId,
      sessionId,
      agentId,
      agentVersion: result.agentVersion,
      idempotencyKey: null,
      apiKeyId: null,
      status: 'completed',
      result,
      error: null,
      usage: USAGE,
      createdAt: now,
      completedAt: now,
    }
    await stores.turns.commit(scope, {
      session,
      isNewSession: true,
      turn,
      messages: [message('user', request.body.message), message('assistant', content)],
      usageEvents: [
        {
          id: ids.next() as UsageEventId,
          companyId,
          kind: 'llm.tokens',
          occurredAt: now,
          agentId,
          sessionId,
          turnId,
          apiKeyId: null,
          provider: 'local',
          model: 'scripted',
          toolName: null,
          inputTokens: USAGE.inputTokens,
          outputTokens: USAGE.outputTokens,
          cachedInputTokens: 0,
          quantity: 1,
        },
      ],
    })
    return { data: { sessionId, message: result.message } }
  })
  return app
}
