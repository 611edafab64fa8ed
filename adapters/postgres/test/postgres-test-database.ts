import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { describe, it } from 'vitest'
import {
  createEmbeddedPostgres,
  createServerPostgres,
  type EmbeddedPostgresConfigInput,
  type PostgresDatabase,
  type ServerPostgresConfigInput,
} from '../src/index.js'

/** The server `scripts/services.sh start` runs; tests make their own database on it. */
export const TEST_DATABASE_URL =
  process.env.AGENTRY_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/postgres'
const IS_CI = process.env.CI === 'true'

export type ServerProbe =
  | { readonly isAvailable: true }
  | { readonly isAvailable: false; readonly reason: string }

/**
 * Whether the test server answers. Outside CI an unreachable server skips the integration tests
 * with a reason; in CI it fails them, because there they must run.
 */
export async function probeServer(): Promise<ServerProbe> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
    return { isAvailable: true }
  } catch (error) {
    const reason = `PostgreSQL at ${TEST_DATABASE_URL} is unreachable (${(error as Error).message}): run bash scripts/services.sh start`
    if (IS_CI) throw new Error(`${reason}; in CI integration tests must run`)
    return { isAvailable: false, reason }
  } finally {
    await client.end().catch(() => undefined)
  }
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

export interface TestServerDatabase {
  /** URL of a fresh, empty database of this run. */
  readonly url: string
  readonly name: string
  drop(): Promise<void>
}

/** Creates `agentry_test_<random>` on the test server; `drop()` removes it (connections and all). */
export async function createTestServerDatabase(): Promise<TestServerDatabase> {
  const name = `agentry_test_${randomBytes(6).toString('hex')}`
  await adminQuery(`CREATE DATABASE ${name}`)
  const url = new URL(TEST_DATABASE_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    name,
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  }
}

/** An in-memory PGlite database, migrated. */
export async function openEmbedded(config: EmbeddedPostgresConfigInput = {}): Promise<PostgresDatabase> {
  const database = await createEmbeddedPostgres({ dataDir: 'memory', ...config })
  await database.migrate()
  return database
}

/** A migrated database on the test server, in a fresh database that `close` drops. */
export async function openServer(
  config: Omit<ServerPostgresConfigInput, 'url'> = {},
): Promise<{ database: PostgresDatabase; server: TestServerDatabase; close: () => Promise<void> }> {
  const server = await createTestServerDatabase()
  const database = await createServerPostgres({ url: server.url, ...config })
  await database.migrate()
  return {
    database,
    server,
    close: async () => {
      await database.close()
      await server.drop()
    },
  }
}

/** `describe` when the server answers; otherwise one skipped test that says why and how to fix it. */
export function describeOnServer(probe: ServerProbe, title: string, body: () => void): void {
  if (probe.isAvailable) describe(title, body)
  else describe(title, () => it.skip(`skipped: ${probe.reason}`, () => undefined))
}
