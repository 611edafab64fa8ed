import { systemScope } from '@agentry/contracts'
import { expectCoreError, makeTenant } from '@agentry/contracts/testing'
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createServerPostgres, type PostgresDatabase } from '../src/index.js'
import {
  createTestServerDatabase,
  describeOnServer,
  probeServer,
  type TestServerDatabase,
} from './postgres-test-database.js'

const server = await probeServer()

describeOnServer(server, 'errors from PostgreSQL 15, mapped at the boundary', () => {
  let target: TestServerDatabase
  let database: PostgresDatabase
  const { company, scope } = makeTenant()

  beforeAll(async () => {
    target = await createTestServerDatabase()
    database = await createServerPostgres({
      url: target.url,
      statementTimeoutMs: 300,
      pool: { max: 1, connectionTimeoutMs: 300 },
    })
    await database.migrate()
    await database.stores.companies.create(systemScope('errors test'), company)
  })
  afterAll(async () => {
    await database?.close()
    await target?.drop()
  })

  it('a statement past the statement timeout is TIMEOUT and retryable', async () => {
    const error = await expectCoreError(
      database.withTenant(scope, 'slow query', (db) => sql`SELECT pg_sleep(3)`.execute(db)),
      'TIMEOUT',
    )
    expect(error.isRetryable).toBe(true)
    expect((error.cause as { code?: string }).code).toBe('57014')
    expect(await database.stores.companies.get(scope)).toEqual(company)
  })

  it('waiting longer than the pool allows for a connection is UNAVAILABLE and retryable', async () => {
    let release: () => void = () => undefined
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    const busy = database.withTenant(scope, 'hold the only connection', () => held)
    const error = await expectCoreError(database.stores.companies.get(scope), 'UNAVAILABLE')
    expect(error.isRetryable).toBe(true)
    release()
    await busy
    expect(await database.stores.companies.get(scope)).toEqual(company)
  })

  it('a connection the server terminates is UNAVAILABLE and the pool recovers', async () => {
    const admin = await createServerPostgres({ url: target.url, pool: { max: 1 } })
    try {
      const killed = database.withTenant(scope, 'killed unit of work', async (db) => {
        const backend = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(db)
        await sql`SELECT pg_terminate_backend(${backend.rows[0]?.pid}::integer, 5000)`.execute(admin.db)
        await sql`SELECT 1`.execute(db)
      })
      await expectCoreError(killed, 'UNAVAILABLE')
      expect(await database.stores.companies.get(scope)).toEqual(company)
    } finally {
      await admin.close()
    }
  })
})
