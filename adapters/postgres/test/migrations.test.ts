import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { systemScope } from '@agentry/contracts'
import { expectCoreError, makeTenant } from '@agentry/contracts/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { createEmbeddedPostgres, type PostgresDatabase } from '../src/index.js'
import {
  expectModuleIsolation,
  expectWorkingStores,
  NOTES_MODULE,
  STORES_MIGRATION_NAMES,
  tableNames,
} from './migration-checks.js'

describe('migrations on PGlite', () => {
  let database: PostgresDatabase | undefined
  afterEach(async () => {
    await database?.close()
    database = undefined
  })

  it('run from an empty database, apply nothing the second time, and run concurrently without harm', async () => {
    database = await createEmbeddedPostgres({ dataDir: 'memory' })
    expect(await tableNames(database)).toEqual([])
    const unmigrated = await expectCoreError(database.stores.companies.get(makeTenant().scope), 'INTERNAL')
    expect(unmigrated.message).toContain('run migrate()')
    const [first, second] = await Promise.all([database.migrate(), database.migrate()])
    expect([...first.applied, ...second.applied]).toEqual(STORES_MIGRATION_NAMES)
    expect(await tableNames(database)).toContain('usage_events')
    expect((await database.migrate()).applied).toEqual([])
    await expectWorkingStores(database)

    const withModule = await database.migrate({ modules: [NOTES_MODULE] })
    expect(withModule.applied).toEqual(['test_notes/0001_notes'])
    expect((await database.migrate({ modules: [NOTES_MODULE] })).applied).toEqual([])
    await expectModuleIsolation(database)
  })

  it('an on-disk database keeps schema and data across a restart; migrate then applies nothing', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'agentry-pglite-'))
    const dataDir = join(parent, 'nested', 'data')
    try {
      const { company, scope } = makeTenant()
      database = await createEmbeddedPostgres({ dataDir })
      expect((await database.migrate()).applied).toEqual(STORES_MIGRATION_NAMES)
      await database.stores.companies.create(systemScope('restart test'), company)
      await database.close()
      database = await createEmbeddedPostgres({ dataDir })
      expect((await database.migrate()).applied).toEqual([])
      expect(await database.stores.companies.get(scope)).toEqual(company)
    } finally {
      await database?.close()
      database = undefined
      await rm(parent, { recursive: true, force: true })
    }
  })
})
