import { createServer } from 'node:net'
import { type AgentId, CoreError, systemScope, type TenantScope } from '@agentry/contracts'
import {
  expectCoreError,
  makeAgent,
  makeAgentVersion,
  makeDocument,
  makeKnowledgeBase,
  makeTenant,
  makeUser,
  newId,
} from '@agentry/contracts/testing'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEmbeddedPostgres, createServerPostgres, type PostgresDatabase } from '../src/index.js'
import { openEmbedded } from './postgres-test-database.js'

/** A loopback port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

describe('errors without a database', () => {
  it('a server that refuses connections is UNAVAILABLE and retryable; ping says false', async () => {
    const port = await closedPort()
    const database = await createServerPostgres({ url: `postgres://agentry@127.0.0.1:${port}/agentry` })
    try {
      const error = await expectCoreError(
        database.stores.agents.get(makeTenant().scope, newId<AgentId>()),
        'UNAVAILABLE',
      )
      expect(error.isRetryable).toBe(true)
      expect(error.message).toContain('ECONNREFUSED')
      expect(error.cause).toBeInstanceOf(Error)
      expect(await database.stores.ping()).toBe(false)
    } finally {
      await database.close()
    }
  })

  it('a closed database answers UNAVAILABLE and ping false; closing twice is fine', async () => {
    const database = await createServerPostgres({
      url: `postgres://agentry@127.0.0.1:${await closedPort()}/agentry`,
    })
    await database.close()
    await database.stores.close()
    await expectCoreError(database.stores.companies.get(makeTenant().scope), 'UNAVAILABLE')
    expect(await database.stores.ping()).toBe(false)
  })

  it('a config with bad fields is INVALID_INPUT naming each field', async () => {
    const error = await expectCoreError(
      createServerPostgres({ url: 'mysql://nope', role: 'Bad-Role', pool: { max: 0 } }),
      'INVALID_INPUT',
    )
    expect(error.message).toMatch(/url:.*role:.*pool\.max:/)
    await expectCoreError(createEmbeddedPostgres({ dataDir: '' }), 'INVALID_INPUT')
  })
})

describe('errors from PGlite, mapped at the boundary', () => {
  let database: PostgresDatabase
  let scope: TenantScope

  beforeAll(async () => {
    database = await openEmbedded()
    const tenant = makeTenant()
    await database.stores.companies.create(systemScope('errors test'), tenant.company)
    scope = tenant.scope
  })
  afterAll(() => database?.close())

  it('a duplicate is CONFLICT with the driver error as cause', async () => {
    const user = makeUser(scope)
    await database.stores.users.create(scope, user)
    const error = await expectCoreError(database.stores.users.create(scope, user), 'CONFLICT')
    expect((error.cause as { code?: string }).code).toBe('23505')
  })

  it('a missing parent is NOT_FOUND', async () => {
    const document = makeDocument(makeKnowledgeBase(scope))
    await expectCoreError(database.stores.documents.create(scope, document, new Uint8Array([1])), 'NOT_FOUND')
  })

  it('a value the schema refuses is INVALID_INPUT', async () => {
    const user = makeUser(scope, { role: 'owner' as never })
    await expectCoreError(database.stores.users.create(scope, user), 'INVALID_INPUT')
    await expectCoreError(database.stores.agents.get(scope, 'not-a-uuid' as AgentId), 'INVALID_INPUT')
  })

  it('a tenant scope without a valid company id is refused before any SQL', async () => {
    const bad = { type: 'tenant', companyId: "x'; DROP TABLE agents; --" } as unknown as TenantScope
    await expectCoreError(database.stores.agents.list(bad), 'INVALID_INPUT')
  })

  it('an aborted signal is CANCELLED before the work starts', async () => {
    const controller = new AbortController()
    controller.abort(new Error('client went away'))
    const agent = makeAgent(scope)
    const call = database.stores.agents.create(scope, agent, makeAgentVersion(agent), {
      signal: controller.signal,
    })
    await expectCoreError(call, 'CANCELLED')
    expect(await database.stores.agents.get(scope, agent.id)).toBeNull()
  })

  it('an abort during the unit of work is CANCELLED and rolls its writes back', async () => {
    const controller = new AbortController()
    const agent = makeAgent(scope)
    const call = database.withTenant(
      scope,
      'abort test',
      async (db) => {
        await sql`INSERT INTO agents VALUES (${scope.companyId}, ${agent.id}, 'a', 'chat', 'active', 1, 1, now(), now())`.execute(
          db,
        )
        controller.abort()
        await sql`SELECT 1`.execute(db)
        return 'done'
      },
      { signal: controller.signal },
    )
    const error = await expectCoreError(call, 'CANCELLED')
    expect(CoreError.isInstance(error)).toBe(true)
    expect(await database.stores.agents.get(scope, agent.id)).toBeNull()
  })

  it('a change to an append-only table is FORBIDDEN', async () => {
    const change = database.withTenant(scope, 'raw delete', (db) => sql`DELETE FROM usage_events`.execute(db))
    await expectCoreError(change, 'FORBIDDEN')
  })
})
