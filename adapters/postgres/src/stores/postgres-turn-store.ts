import type {
  CallOptions,
  TenantScope,
  Turn,
  TurnCommit,
  TurnContext,
  TurnId,
  TurnLoadRequest,
  TurnStore,
} from '@agentry/contracts'
import type { UnitOfWork } from '../postgres-unit-of-work.js'
import { toTurn } from '../rows/conversation-rows.js'
import { commitTurn } from './turn-commit-statement.js'
import { loadTurnContext } from './turn-load-query.js'

/**
 * The turn's hot path. `load` and `commit` are one statement each inside their tenant
 * transaction: three round trips apiece (`BEGIN ...`, the statement, `COMMIT`).
 */
export class PostgresTurnStore implements TurnStore {
  readonly #work: UnitOfWork

  constructor(work: UnitOfWork) {
    this.#work = work
  }

  async load(scope: TenantScope, request: TurnLoadRequest, options?: CallOptions): Promise<TurnContext> {
    return this.#work.withTenant(scope, 'turn load', (db) => loadTurnContext(db, scope, request), options)
  }

  async commit(scope: TenantScope, commit: TurnCommit, options?: CallOptions): Promise<void> {
    return this.#work.withTenant(scope, 'turn commit', (db) => commitTurn(db, scope, commit), options)
  }

  async get(scope: TenantScope, id: TurnId, options?: CallOptions): Promise<Turn | null> {
    return this.#work.withTenant(
      scope,
      'turn get',
      async (db) => {
        const row = await db
          .selectFrom('turns')
          .selectAll()
          .where('company_id', '=', scope.companyId)
          .where('id', '=', id)
          .executeTakeFirst()
        return row ? toTurn(row) : null
      },
      options,
    )
  }
}
