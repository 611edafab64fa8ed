import { afterAll, beforeAll } from 'vitest'
import type { PostgresDatabase } from '../src/index.js'
import { describeDatabaseIsolation } from './isolation-checks.js'
import { describeOnServer, openServer, probeServer } from './postgres-test-database.js'

const server = await probeServer()

describeOnServer(server, 'PostgreSQL 15', () => {
  let database: PostgresDatabase
  let close: (() => Promise<void>) | undefined
  beforeAll(async () => {
    ;({ database, close } = await openServer())
  })
  afterAll(() => close?.())
  describeDatabaseIsolation('PostgreSQL 15', () => ({ database: () => database }))
})
