import type { CallOptions, Closeable, Stores, SystemScope, TenantScope } from '@agentry/contracts'
import { type Kysely, sql } from 'kysely'
import type { Database } from './database-schema.js'
import {
  type MigrationReport,
  type PostgresMigrationModule,
  runMigrations,
  STORES_MIGRATIONS,
} from './postgres-migrations.js'
import { type Transaction, UnitOfWork } from './postgres-unit-of-work.js'
import { createPostgresStores } from './stores/postgres-stores.js'

export interface MigrateOptions {
  /** Sibling adapters' migrations (pgvector), applied after the stores' own, each in its own table. */
  readonly modules?: readonly PostgresMigrationModule[]
}

export interface PostgresDatabaseParts {
  readonly db: Kysely<Database>
  readonly role: string
  readonly backend: 'embedded' | 'server'
  /** A connection that may create tables, for `migrate()`; released after use. */
  readonly openMigrationConnection: () => Promise<{ db: Kysely<unknown>; release: () => Promise<void> }>
  /** Releases what the factory opened (pool, PGlite). */
  readonly shutdown: () => Promise<void>
}

/**
 * One database, embedded (PGlite) or a server, with every store on it. Sibling adapters reuse the
 * connection through `withTenant` / `withSystem`, which run a unit of work in a transaction under
 * the runtime role with the scope set for row-level security, and add their tables through
 * `migrate({ modules })`.
 */
export class PostgresDatabase implements Closeable {
  /** The kysely instance on the login connection: no role switch, no tenant. Prefer `withTenant`. */
  readonly db: Kysely<Database>
  /** The runtime role every unit of work switches to. */
  readonly role: string
  readonly backend: 'embedded' | 'server'
  readonly stores: Stores
  readonly #work: UnitOfWork
  readonly #parts: PostgresDatabaseParts
  #closing: Promise<void> | undefined

  constructor(parts: PostgresDatabaseParts) {
    this.db = parts.db
    this.role = parts.role
    this.backend = parts.backend
    this.#parts = parts
    this.#work = new UnitOfWork(parts.db, parts.role)
    this.stores = createPostgresStores(this.#work, { ping: () => this.ping(), close: () => this.close() })
  }

  /** Applies pending migrations: the stores' schema first, then `modules` in order. Idempotent. */
  async migrate(options: MigrateOptions = {}): Promise<MigrationReport> {
    const connection = await this.#parts.openMigrationConnection()
    try {
      return await runMigrations(connection.db, [STORES_MIGRATIONS, ...(options.modules ?? [])], {
        role: this.role,
      })
    } finally {
      await connection.release()
    }
  }

  /** Runs `work` in a transaction for one company (see `UnitOfWork`). */
  withTenant<T, DB = Database>(
    scope: TenantScope,
    operation: string,
    work: (transaction: Transaction<DB>) => Promise<T>,
    options?: CallOptions,
  ): Promise<T> {
    return this.#work.withTenant(scope, operation, work, options)
  }

  /** Runs `work` in a transaction of system scope (only tables with system policies answer). */
  withSystem<T, DB = Database>(
    scope: SystemScope,
    operation: string,
    work: (transaction: Transaction<DB>) => Promise<T>,
    options?: CallOptions,
  ): Promise<T> {
    return this.#work.withSystem(scope, operation, work, options)
  }

  /** True when the database answers a trivial query. */
  async ping(): Promise<boolean> {
    if (this.#closing) return false
    try {
      await sql`SELECT 1`.execute(this.db)
      return true
    } catch {
      return false
    }
  }

  /** Closes the pool (and PGlite when embedded). Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#parts.shutdown()
    return this.#closing
  }
}
