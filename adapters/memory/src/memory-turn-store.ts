import {
  type CallOptions,
  CoreError,
  type Message,
  type Quota,
  type TenantScope,
  type Turn,
  type TurnCommit,
  type TurnContext,
  type TurnId,
  type TurnLoadRequest,
  type TurnStore,
} from '@agentry/contracts'
import { throwIfAborted } from './abort.js'
import { assertOwnRow, type MemoryDatabase, oldestFirst } from './memory-database.js'
import { compareKeys } from './memory-page.js'
import { appendUsage } from './memory-usage-store.js'

export class MemoryTurnStore implements TurnStore {
  constructor(private readonly database: MemoryDatabase) {}

  async load(scope: TenantScope, request: TurnLoadRequest, options?: CallOptions): Promise<TurnContext> {
    throwIfAborted(options, 'Loading a turn')
    const { database } = this
    const { companyId } = scope
    const agent = database.agents.get(companyId, request.agentId) ?? null
    const version = agent
      ? (database.agentVersions.get(companyId, `${agent.id}/${agent.currentVersion}`) ?? null)
      : null
    let session =
      request.sessionId === undefined ? null : (database.sessions.get(companyId, request.sessionId) ?? null)
    if (session && session.agentId !== request.agentId) session = null
    const limit = request.historyLimit ?? version?.config.memory.maxMessages ?? 0
    const messages = session ? (database.messages.peek(companyId, session.id) ?? []) : []
    const history = limit > 0 ? structuredClone(messages.slice(-limit)) : []
    let existingTurn: Turn | null = null
    if (request.idempotencyKey !== undefined) {
      const turnId = database.turnKeys.peek(companyId, request.idempotencyKey)
      const turn = turnId === undefined ? undefined : database.turns.get(companyId, turnId)
      existingTurn = turn?.status === 'completed' ? turn : null
    }
    const { key } = oldestFirst<Quota>()
    const quotas = structuredClone(
      database.quotas.rows(companyId).sort((left, right) => compareKeys(key(left), key(right))),
    )
    return { agent, version, session, history, existingTurn, quotas }
  }

  async commit(scope: TenantScope, commit: TurnCommit, options?: CallOptions): Promise<void> {
    throwIfAborted(options, 'Committing a turn')
    const { database } = this
    const { companyId } = scope
    const { session, turn } = commit
    assertOwnRow(scope, session, 'session')
    assertOwnRow(scope, turn, 'turn')
    for (const message of commit.messages) assertOwnRow(scope, message, 'message')
    for (const event of commit.usageEvents) assertOwnRow(scope, event, 'usage event')
    if (!database.agents.has(companyId, session.agentId)) {
      throw new CoreError('NOT_FOUND', `Agent ${session.agentId} does not exist (it may have been deleted)`)
    }
    const existing = database.sessions.peek(companyId, session.id)
    if (commit.isNewSession && existing)
      throw new CoreError('CONFLICT', `Session ${session.id} already exists`)
    if (!commit.isNewSession && (!existing || existing.agentId !== session.agentId)) {
      throw new CoreError('NOT_FOUND', `Session ${session.id} does not exist (it may have been deleted)`)
    }
    if (database.turns.has(companyId, turn.id))
      throw new CoreError('CONFLICT', `Turn ${turn.id} already exists`)
    if (turn.idempotencyKey !== null && database.turnKeys.has(companyId, turn.idempotencyKey)) {
      throw new CoreError('CONFLICT', 'The idempotency key was already used by another turn: use a new key')
    }
    const stored = database.messages.peek(companyId, session.id) ?? []
    const known = new Set(stored.map((message) => message.id))
    if (commit.messages.some((message) => known.has(message.id))) {
      throw new CoreError('CONFLICT', 'A message of this turn is already stored')
    }

    // Every check passed: the writes below cannot fail, so the commit is all or nothing.
    if (existing) {
      database.sessions.set(companyId, session.id, {
        ...existing,
        updatedAt: session.updatedAt,
        messageCount: session.messageCount,
        summary: session.summary,
      })
    } else {
      database.sessions.set(companyId, session.id, session)
    }
    const messages: Message[] = [...stored, ...structuredClone(commit.messages)]
    messages.sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0))
    database.messages.set(companyId, session.id, [])
    database.messages.peek(companyId, session.id)?.push(...messages)
    database.turns.set(companyId, turn.id, turn)
    if (turn.idempotencyKey !== null) database.turnKeys.set(companyId, turn.idempotencyKey, turn.id)
    appendUsage(database, scope, commit.usageEvents)
  }

  async get(scope: TenantScope, id: TurnId, options?: CallOptions): Promise<Turn | null> {
    throwIfAborted(options, 'Reading a turn')
    return this.database.turns.get(scope.companyId, id) ?? null
  }
}
