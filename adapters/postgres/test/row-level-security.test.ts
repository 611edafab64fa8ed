import { afterAll, beforeAll } from 'vitest'
import type { PostgresDatabase } from '../src/index.js'
import { describeDatabaseIsolation } from './isolation-checks.js'
import { openEmbedded } from './postgres-test-database.js'

let database: PostgresDatabase

beforeAll(async () => {
  database = await openEmbedded()
})
afterAll(() => database?.close())

describeDatabaseIsolation('PGlite', () => ({ database: () => database }))
