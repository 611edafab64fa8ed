import type { CallOptions } from '../../common.js'
import type { Agent, AgentVersion } from '../../domain/agent.js'
import type { Quota } from '../../domain/billing.js'
import type { Message, Session, Turn } from '../../domain/conversation.js'
import type { NewUsageEvent } from '../../domain/usage.js'
import type { AgentId, SessionId, TurnId } from '../../ids.js'
import type { TenantScope } from '../../scope.js'

export interface TurnLoadRequest {
  readonly agentId: AgentId
  /** Absent for a new session. */
  readonly sessionId?: SessionId
  readonly idempotencyKey?: string
  /**
   * The newest this-many messages of the session are returned. When absent, the current version's
   * `config.memory.maxMessages` applies (so the read needs no second round trip).
   */
  readonly historyLimit?: number
}

/** Everything a turn needs before its first model call, read together. */
export interface TurnContext {
  readonly agent: Agent | null
  /** The agent's current version. */
  readonly version: AgentVersion | null
  /** Null when `sessionId` was absent, missing, or belongs to another agent. */
  readonly session: Session | null
  /** Oldest first, at most `historyLimit`. */
  readonly history: readonly Message[]
  /** The completed turn that already used `idempotencyKey`, if any. */
  readonly existingTurn: Turn | null
  /**
   * The company's quotas (as `QuotaStore.list` returns them), read with the rest so the pre-call
   * quota check costs no extra read when a company has none.
   */
  readonly quotas: readonly Quota[]
}

/** What a finished turn (completed or failed) writes, atomically. */
export interface TurnCommit {
  /** Inserted when new, else its `updatedAt`, `messageCount` and `summary` are updated. */
  readonly session: Session
  readonly isNewSession: boolean
  readonly turn: Turn
  /** In order; ids increase. */
  readonly messages: readonly Message[]
  /** Usage not yet appended; ids already stored are skipped (exactly once). */
  readonly usageEvents: readonly NewUsageEvent[]
}

/**
 * The turn's hot path, shaped for few round trips: one read before the model call, one atomic
 * write after it. `commit` throws `CONFLICT` when the turn's idempotency key is already used in the
 * company, and `NOT_FOUND` when the agent or an existing session is gone.
 */
export interface TurnStore {
  load(scope: TenantScope, request: TurnLoadRequest, options?: CallOptions): Promise<TurnContext>
  commit(scope: TenantScope, commit: TurnCommit, options?: CallOptions): Promise<void>
  get(scope: TenantScope, id: TurnId, options?: CallOptions): Promise<Turn | null>
}
