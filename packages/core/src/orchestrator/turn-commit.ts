import type {
  Clock,
  CoreError,
  Session,
  Stores,
  TenantScope,
  Turn,
  TurnCommit,
  TurnResult,
} from '@agentry/contracts'
import type { TurnRecorder } from './turn-recorder.js'
import type { TurnRequest } from './turn-request.js'

export interface TurnCommitBase {
  readonly stores: Pick<Stores, 'turns'>
  readonly clock: Clock
  readonly request: TurnRequest
  readonly scope: TenantScope
  /** The loaded session; null for a new one. */
  readonly session: Session | null
  readonly agentVersion: number
  readonly startedAt: Date
  readonly recorder: TurnRecorder
}

/** The turn's one write: session, turn with its result, messages and the usage not yet appended. */
export async function commitTurn(base: TurnCommitBase, result: TurnResult): Promise<void> {
  const now = base.clock.now()
  await write(base, base.recorder.messages, {
    ...turnBase(base, now),
    idempotencyKey: base.request.idempotencyKey ?? null,
    status: 'completed',
    result,
    error: null,
    usage: result.usage,
  })
}

/**
 * Stores a failed turn: the user's message and the usage of calls that completed, so they are
 * billed. The idempotency key is not kept, so a retry with it runs the turn again.
 */
export async function commitFailedTurn(base: TurnCommitBase, error: CoreError): Promise<void> {
  const now = base.clock.now()
  await write(base, base.recorder.messages.slice(0, 1), {
    ...turnBase(base, now),
    idempotencyKey: null,
    status: 'failed',
    result: null,
    error: { code: error.code, message: error.message },
    usage: base.recorder.usage(),
  })
}

function turnBase(base: TurnCommitBase, now: Date) {
  const { identity } = base.recorder
  return {
    id: identity.turnId,
    companyId: identity.scope.companyId,
    sessionId: identity.sessionId,
    agentId: identity.agentId,
    agentVersion: base.agentVersion,
    apiKeyId: identity.apiKeyId,
    createdAt: base.startedAt,
    completedAt: now,
  }
}

async function write(base: TurnCommitBase, messages: TurnCommit['messages'], turn: Turn): Promise<void> {
  const { recorder, request } = base
  const now = turn.completedAt
  const session: Session = base.session
    ? { ...base.session, messageCount: base.session.messageCount + messages.length, updatedAt: now }
    : {
        id: recorder.identity.sessionId,
        companyId: base.scope.companyId,
        agentId: recorder.identity.agentId,
        channel: request.channel ?? 'api',
        externalUserId: request.externalUserId ?? null,
        summary: null,
        metadata: request.metadata ?? {},
        messageCount: messages.length,
        createdAt: base.startedAt,
        updatedAt: now,
      }
  const usageEvents = recorder.takePendingUsage()
  try {
    // Not the caller's signal: once the work is done, storing it must not be cancelled halfway.
    await base.stores.turns.commit(base.scope, {
      session,
      isNewSession: base.session === null,
      turn,
      messages,
      usageEvents,
    })
  } catch (error) {
    recorder.returnPendingUsage(usageEvents)
    throw error
  }
}
