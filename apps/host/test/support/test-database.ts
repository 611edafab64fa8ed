import { randomBytes } from 'node:crypto'
import pg from 'pg'

/** The services `bash scripts/services.sh start` runs; integration tests make their own database on it. */
export const TEST_DATABASE_URL =
  process.env.AGENTRY_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/postgres'
export const TEST_REDIS_URL = process.env.AGENTRY_TEST_REDIS_URL ?? 'redis://127.0.0.1:56379'

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

export interface TestDatabase {
  readonly url: string
  drop(): Promise<void>
}

/** A fresh `agentry_host_test_<random>` database; `drop()` removes it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `agentry_host_test_${randomBytes(6).toString('hex')}`
  await adminQuery(`CREATE DATABASE ${name}`)
  const url = new URL(TEST_DATABASE_URL)
  url.pathname = `/${name}`
  return { url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) }
}

/** A Redis key prefix of its own per test run. */
export function testRedisPrefix(): string {
  return `agentry-host-test-${randomBytes(4).toString('hex')}`
}

/**
 * Whether PostgreSQL and Redis answer. Outside CI an unreachable service skips the integration tests
 * with the reason; in CI (`CI=true`) they must run, so this throws instead.
 */
export async function probeServices(): Promise<
  { isAvailable: true } | { isAvailable: false; reason: string }
> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
    return { isAvailable: true }
  } catch (error) {
    const reason = `PostgreSQL at ${TEST_DATABASE_URL} is unreachable (${(error as Error).message}): run bash scripts/services.sh start`
    if (process.env.CI === 'true') throw new Error(`${reason}; in CI integration tests must run`)
    return { isAvailable: false, reason }
  } finally {
    await client.end().catch(() => undefined)
  }
}
