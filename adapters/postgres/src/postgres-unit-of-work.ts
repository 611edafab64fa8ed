import { type CallOptions, CoreError, isUuid, type SystemScope, type TenantScope } from '@agentry/contracts'
import { type Kysely, sql } from 'kysely'
import type { Database } from './database-schema.js'
import { cancelled, type Operation, toCoreError } from './postgres-errors.js'

/** A kysely instance bound to one connection inside an open transaction of one scope. */
export type Transaction<DB = Database> = Kysely<DB>

/**
 * Runs units of work, each in its own transaction on one connection. The transaction starts with
 * a single simple-protocol query that opens it, switches to the runtime role (which cannot bypass
 * row-level security) and sets the scope the policies read, so a unit of work costs two round trips
 * besides its own statements (`BEGIN ...` and `COMMIT`).
 */
export class UnitOfWork {
  readonly #db: Kysely<Database>
  readonly #role: string

  constructor(db: Kysely<Database>, role: string) {
    this.#db = db
    this.#role = role
  }

  /** Work for one company: every statement sees and writes only its rows. */
  withTenant<T, DB = Database>(
    scope: TenantScope,
    operation: Operation,
    work: (transaction: Transaction<DB>) => Promise<T>,
    options?: CallOptions,
  ): Promise<T> {
    if (scope?.type !== 'tenant' || !isUuid(scope.companyId)) {
      return Promise.reject(
        new CoreError('INVALID_INPUT', `${operation} needs a tenant scope with a company id (a UUID)`),
      )
    }
    // The company id is a validated lowercase UUID, so inlining it cannot inject SQL.
    const setting = `SELECT set_config('app.company_id', '${scope.companyId}', true)`
    return this.#run(setting, operation, work, options)
  }

  /** Cross-tenant work: policies accept it only where a table allows system access. */
  withSystem<T, DB = Database>(
    scope: SystemScope,
    operation: Operation,
    work: (transaction: Transaction<DB>) => Promise<T>,
    options?: CallOptions,
  ): Promise<T> {
    if (scope?.type !== 'system') {
      return Promise.reject(
        new CoreError('FORBIDDEN', `${operation} is platform work and needs a system scope`),
      )
    }
    return this.#run("SELECT set_config('app.scope', 'system', true)", operation, work, options)
  }

  #run<T, DB>(
    setting: string,
    operation: Operation,
    work: (transaction: Transaction<DB>) => Promise<T>,
    options: CallOptions | undefined,
  ): Promise<T> {
    const signal = options?.signal
    if (signal?.aborted) return Promise.reject(cancelled(operation, signal.reason))
    const begin = `BEGIN; SET LOCAL ROLE ${this.#role}; ${setting}`
    let isCommitting = false
    const attempt = this.#db.connection().execute(async (connection) => {
      try {
        await sql.raw(begin).execute(connection)
      } catch (error) {
        await sql
          .raw('ROLLBACK')
          .execute(connection)
          .catch(() => undefined)
        throw error
      }
      try {
        const result = await work(connection as unknown as Transaction<DB>)
        if (signal?.aborted) throw cancelled(operation, signal.reason)
        isCommitting = true
        const committed = await sql.raw<{ command?: string }>('COMMIT').execute(connection)
        if (committed.rows[0]?.command === 'ROLLBACK') {
          throw new CoreError('INTERNAL', `${operation} was rolled back by the database`)
        }
        return result
      } catch (error) {
        if (!isCommitting)
          await sql
            .raw('ROLLBACK')
            .execute(connection)
            .catch(() => undefined)
        throw error
      }
    })
    const mapped = attempt.catch((error: unknown) => {
      throw toCoreError(error, operation)
    })
    if (!signal) return mapped
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        // Until COMMIT is sent the transaction will roll back, so the caller can stop waiting.
        if (!isCommitting) reject(cancelled(operation, signal.reason))
      }
      signal.addEventListener('abort', onAbort, { once: true })
      mapped.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
    })
  }
}
