import { afterAll, beforeAll, describe, it } from 'vitest'
import type { PostgresDatabase } from '../src/index.js'
import { describeDatabaseIsolation } from './isolation-checks.js'
import { openServer, probeServer } from './postgres-test-database.js'

const server = await probeServer()

if (server.isAvailable) {
  let database: PostgresDatabase
  let close: () => Promise<void>
  beforeAll(async () => {
    ;({ database, close } = await openServer())
  })
  afterAll(() => close?.())
  describeDatabaseIsolation('PostgreSQL 15', () => ({ database: () => database }))
} else {
  describe('PostgreSQL 15: tenant isolation in the database', () => {
    it.skip(`skipped: ${server.reason}`, () => undefined)
  })
}
