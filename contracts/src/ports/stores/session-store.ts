import type { CallOptions, Page, PageRequest } from '../../common.js'
import type { Message, Session } from '../../domain/conversation.js'
import type { AgentId, SessionId } from '../../ids.js'
import type { TenantScope } from '../../scope.js'

export interface SessionFilter {
  readonly agentId?: AgentId
  readonly externalUserId?: string
}

/** Reading conversations. Sessions and messages are written by `TurnStore.commit`. */
export interface SessionStore {
  get(scope: TenantScope, id: SessionId, options?: CallOptions): Promise<Session | null>
  /** Most recently updated first. */
  list(
    scope: TenantScope,
    filter?: SessionFilter,
    page?: PageRequest,
    options?: CallOptions,
  ): Promise<Page<Session>>
  /** Oldest first (`order: 'asc'`, the default) or newest first. Empty page for a missing session. */
  listMessages(
    scope: TenantScope,
    sessionId: SessionId,
    page?: PageRequest & { readonly order?: 'asc' | 'desc' },
    options?: CallOptions,
  ): Promise<Page<Message>>
  delete(scope: TenantScope, id: SessionId, options?: CallOptions): Promise<boolean>
}
