import { mkdirSync } from 'node:fs'
import { CoreError } from '@agentry/contracts'
import { PGlite } from '@electric-sql/pglite'
import { createPgConfig } from '@electric-sql/pglite/node-postgres'
import { vector } from '@electric-sql/pglite-pgvector'
import { Kysely, type LogConfig, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Database } from './database-schema.js'
import {
  type EmbeddedPostgresConfigInput,
  EmbeddedPostgresConfigSchema,
  type PostgresQueryListener,
  parseConfig,
  type ServerPostgresConfigInput,
  ServerPostgresConfigSchema,
} from './postgres-config.js'
import { PostgresDatabase } from './postgres-database.js'
import { toCoreError } from './postgres-errors.js'

function queryLog(listener: PostgresQueryListener | undefined): LogConfig | undefined {
  if (!listener) return undefined
  return (event) =>
    listener({
      sql: event.query.sql,
      durationMs: event.queryDurationMillis,
      isError: event.level === 'error',
    })
}

/**
 * The embedded database: PGlite with pgvector in this process, on disk under `dataDir` or in
 * memory (`dataDir: 'memory'`). PGlite has one connection, so units of work run one at a time.
 * Call `migrate()` before first use.
 */
export async function createEmbeddedPostgres(
  input: EmbeddedPostgresConfigInput = {},
): Promise<PostgresDatabase> {
  const config = parseConfig(EmbeddedPostgresConfigSchema, input, 'Embedded PostgreSQL')
  const isMemory = config.dataDir === 'memory'
  let pglite: PGlite
  try {
    if (!isMemory) mkdirSync(config.dataDir, { recursive: true })
    pglite = await PGlite.create(isMemory ? 'memory://' : config.dataDir, { extensions: { vector } })
  } catch (error) {
    throw new CoreError(
      'UNAVAILABLE',
      `Cannot open the embedded database in ${config.dataDir}: check that the directory is writable and not used by another process`,
      { cause: error },
    )
  }
  const pool = new pg.Pool(createPgConfig(pglite))
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: queryLog(config.onQuery) })
  return new PostgresDatabase({
    db,
    role: config.role,
    backend: 'embedded',
    openMigrationConnection: async () => ({ db: db as Kysely<unknown>, release: async () => undefined }),
    shutdown: async () => {
      await db.destroy()
      await pglite.close()
    },
  })
}

function serverPool(url: string, options: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, ...options })
  // A connection the server drops surfaces as an event (idle: on the pool, checked out: on the
  // client) besides failing its query; without listeners it would crash the process. The pool
  // discards the dead client and the next unit of work gets a fresh one.
  pool.on('error', () => undefined)
  pool.on('connect', (client) => client.on('error', () => undefined))
  return pool
}

/**
 * A PostgreSQL server (15 or newer) through a `pg` pool. The login role must be able to switch to
 * the runtime role (`role`, created by `migrate()`): a member of it, or the schema owner.
 */
export async function createServerPostgres(input: ServerPostgresConfigInput): Promise<PostgresDatabase> {
  const config = parseConfig(ServerPostgresConfigSchema, input, 'PostgreSQL')
  const pool = serverPool(config.url, {
    max: config.pool.max,
    idleTimeoutMillis: config.pool.idleTimeoutMs,
    connectionTimeoutMillis: config.pool.connectionTimeoutMs,
    application_name: config.applicationName,
    ...(config.statementTimeoutMs > 0 ? { statement_timeout: config.statementTimeoutMs } : {}),
  })
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: queryLog(config.onQuery) })
  const migrationUrl = config.migrationUrl
  return new PostgresDatabase({
    db,
    role: config.role,
    backend: 'server',
    openMigrationConnection: async () => {
      if (!migrationUrl) return { db: db as Kysely<unknown>, release: async () => undefined }
      const owner = new Kysely<unknown>({
        dialect: new PostgresDialect({
          pool: serverPool(migrationUrl, {
            max: 1,
            connectionTimeoutMillis: config.pool.connectionTimeoutMs,
          }),
        }),
      })
      return { db: owner, release: () => owner.destroy() }
    },
    shutdown: async () => {
      try {
        await db.destroy()
      } catch (error) {
        throw toCoreError(error, 'closing the PostgreSQL pool')
      }
    },
  })
}
