import type {
  CallOptions,
  Message,
  Page,
  PageRequest,
  Session,
  SessionFilter,
  SessionId,
  SessionStore,
  TenantScope,
} from '@agentry/contracts'
import { throwIfAborted } from './abort.js'
import type { MemoryDatabase } from './memory-database.js'
import { paginate } from './memory-page.js'

export class MemorySessionStore implements SessionStore {
  constructor(private readonly database: MemoryDatabase) {}

  async get(scope: TenantScope, id: SessionId, options?: CallOptions): Promise<Session | null> {
    throwIfAborted(options, 'Reading a session')
    return this.database.sessions.get(scope.companyId, id) ?? null
  }

  async list(
    scope: TenantScope,
    filter: SessionFilter = {},
    page?: PageRequest,
    options?: CallOptions,
  ): Promise<Page<Session>> {
    throwIfAborted(options, 'Listing sessions')
    const sessions = this.database.sessions
      .rows(scope.companyId)
      .filter(
        (session) =>
          (filter.agentId === undefined || session.agentId === filter.agentId) &&
          (filter.externalUserId === undefined || session.externalUserId === filter.externalUserId),
      )
    return paginate(
      sessions,
      { key: (session) => [session.updatedAt.getTime(), session.id], direction: 'desc' },
      page,
    )
  }

  async listMessages(
    scope: TenantScope,
    sessionId: SessionId,
    page: PageRequest & { readonly order?: 'asc' | 'desc' } = {},
    options?: CallOptions,
  ): Promise<Page<Message>> {
    throwIfAborted(options, 'Listing messages')
    const messages = this.database.messages.peek(scope.companyId, sessionId) ?? []
    return paginate(messages, { key: (message) => [message.id], direction: page.order ?? 'asc' }, page)
  }

  async delete(scope: TenantScope, id: SessionId, options?: CallOptions): Promise<boolean> {
    throwIfAborted(options, 'Deleting a session')
    if (!this.database.sessions.delete(scope.companyId, id)) return false
    this.database.removeSessionData(scope.companyId, id)
    return true
  }
}
