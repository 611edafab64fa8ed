import type {
  CallOptions,
  Message,
  Page,
  PageRequest,
  Session,
  SessionFilter,
  SessionId,
  Stores,
} from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import { type RequestContext, requirePermission, scopeOf } from '@agentry/core'

/**
 * The read side of conversations for the API: sessions and their messages, in the caller's company
 * only (`sessions:view`). Sessions are written by the orchestrator's turn commit, never here.
 */
export class SessionQueries {
  readonly #stores: Pick<Stores, 'sessions'>

  constructor(stores: Pick<Stores, 'sessions'>) {
    this.#stores = stores
  }

  list(
    context: RequestContext,
    filter: SessionFilter,
    page?: PageRequest,
    options?: CallOptions,
  ): Promise<Page<Session>> {
    requirePermission(context.actor, 'sessions:view')
    return this.#stores.sessions.list(scopeOf(context), filter, page, options)
  }

  async get(context: RequestContext, id: SessionId, options?: CallOptions): Promise<Session> {
    requirePermission(context.actor, 'sessions:view')
    const session = await this.#stores.sessions.get(scopeOf(context), id, options)
    if (!session) throw notFound(id)
    return session
  }

  /** A missing session (or another company's) is `NOT_FOUND`, not an empty page. */
  async listMessages(
    context: RequestContext,
    id: SessionId,
    page: PageRequest & { readonly order?: 'asc' | 'desc' },
    options?: CallOptions,
  ): Promise<Page<Message>> {
    await this.get(context, id, options)
    return this.#stores.sessions.listMessages(scopeOf(context), id, page, options)
  }
}

function notFound(id: SessionId): CoreError {
  return new CoreError('NOT_FOUND', `Session ${id} not found in this company.`)
}
