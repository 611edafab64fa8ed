import { randomBytes } from 'node:crypto'
import { createEmbeddedPostgres, createServerPostgres, type PostgresDatabase } from '@agentry/postgres'
import pg from 'pg'
import { describe, it } from 'vitest'
import { createPgvector, type Pgvector, type PgvectorConfigInput, pgvectorMigrations } from '../src/index.js'

/** The server `scripts/services.sh start` runs; each test file makes its own database on it. */
export const TEST_DATABASE_URL =
  process.env.AGENTRY_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/postgres'
const IS_CI = process.env.CI === 'true'

export interface TestPgvector extends Pgvector {
  readonly database: PostgresDatabase
  close(): Promise<void>
}

async function open(database: PostgresDatabase, config: PgvectorConfigInput, drop?: () => Promise<void>) {
  try {
    await database.migrate({ modules: [pgvectorMigrations(config)] })
    const pgvector = createPgvector(database, config)
    await pgvector.verify()
    return {
      ...pgvector,
      database,
      close: async () => {
        await database.close()
        await drop?.()
      },
    } satisfies TestPgvector
  } catch (error) {
    await database.close()
    await drop?.()
    throw error
  }
}

/** A migrated in-memory PGlite with the adapter's tables. */
export async function openEmbeddedPgvector(config: PgvectorConfigInput): Promise<TestPgvector> {
  return open(await createEmbeddedPostgres({ dataDir: 'memory' }), config)
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

/** A fresh `agentry_test_<random>` database on the test server; `close` drops it. */
export async function openServerPgvector(config: PgvectorConfigInput): Promise<TestPgvector> {
  const name = `agentry_test_${randomBytes(6).toString('hex')}`
  await adminQuery(`CREATE DATABASE ${name}`)
  const url = new URL(TEST_DATABASE_URL)
  url.pathname = `/${name}`
  const database = await createServerPostgres({ url: url.toString() })
  return open(database, config, () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
}

/**
 * Whether the test server answers: `null` when it does, else why not. In CI an unreachable server
 * fails the run instead, because there integration tests must run.
 */
export async function serverUnavailableReason(): Promise<string | null> {
  try {
    await adminQuery('SELECT 1')
    return null
  } catch (error) {
    const reason = `PostgreSQL at ${TEST_DATABASE_URL} is unreachable (${(error as Error).message}): run bash scripts/services.sh start`
    if (IS_CI) throw new Error(`${reason}; in CI integration tests must run`)
    return reason
  }
}

/** `describe` when the server answers; otherwise one skipped test that says why. */
export function describeOnServer(reason: string | null, title: string, body: () => void): void {
  if (reason === null) describe(title, body)
  else describe(title, () => it.skip(`skipped: ${reason}`, () => undefined))
}
