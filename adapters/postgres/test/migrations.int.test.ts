import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { expect, it } from 'vitest'
import { createServerPostgres } from '../src/index.js'
import {
  expectModuleIsolation,
  expectWorkingStores,
  NOTES_MODULE,
  STORES_MIGRATION_NAMES,
} from './migration-checks.js'
import { createTestServerDatabase, describeOnServer, probeServer } from './postgres-test-database.js'

const server = await probeServer()

describeOnServer(server, 'migrations on PostgreSQL 15', () => {
  it('two processes migrating one empty database at once apply each migration exactly once', async () => {
    const target = await createTestServerDatabase()
    const first = await createServerPostgres({ url: target.url })
    const second = await createServerPostgres({ url: target.url })
    try {
      const reports = await Promise.all([first.migrate(), second.migrate()])
      expect(reports.flatMap((report) => report.applied).sort()).toEqual(STORES_MIGRATION_NAMES)
      expect((await first.migrate()).applied).toEqual([])
      await expectWorkingStores(second)
      expect((await first.migrate({ modules: [NOTES_MODULE] })).applied).toEqual(['test_notes/0001_notes'])
      await expectModuleIsolation(second)
    } finally {
      await Promise.all([first.close(), second.close()])
      await target.drop()
    }
  })

  it('two databases creating the same new runtime role at once both succeed', async () => {
    const role = `agentry_test_role_${randomBytes(4).toString('hex')}`
    const targets = await Promise.all([createTestServerDatabase(), createTestServerDatabase()])
    const databases = await Promise.all(
      targets.map((target) => createServerPostgres({ url: target.url, role })),
    )
    try {
      await Promise.all(databases.map((database) => database.migrate()))
      for (const database of databases) await expectWorkingStores(database)
    } finally {
      await Promise.all(databases.map((database) => database.close()))
      await Promise.all(targets.map((target) => target.drop()))
      const admin = await createServerPostgres({ url: targets[0]!.url.replace(targets[0]!.name, 'postgres') })
      await sql.raw(`DROP ROLE IF EXISTS ${role}`).execute(admin.db)
      await admin.close()
    }
  })
})
