import { systemScope } from '@agentry/contracts'
import { makeTenant } from '@agentry/contracts/testing'
import { type Kysely, sql } from 'kysely'
import { expect } from 'vitest'
import { type PostgresDatabase, type PostgresMigrationModule, tableSecuritySql } from '../src/index.js'

export const STORES_MIGRATION_NAMES = [
  'agentry/0001_tenancy_and_conversations',
  'agentry/0002_knowledge_and_tools',
  'agentry/0003_usage_billing_and_audit',
  'agentry/0004_row_level_security',
]

/** A sibling adapter's module, as pgvector would write one: a tenant table under the same policies. */
export const NOTES_MODULE: PostgresMigrationModule = {
  name: 'test_notes',
  migrations: ({ role }) => ({
    '0001_notes': {
      async up(db: Kysely<unknown>) {
        await sql
          .raw(`CREATE TABLE test_notes (
            company_id uuid NOT NULL REFERENCES companies (id), id uuid NOT NULL, body text NOT NULL,
            PRIMARY KEY (company_id, id));
            ${tableSecuritySql({ table: 'test_notes', role, privileges: ['SELECT', 'INSERT'] })}`)
          .execute(db)
      },
    },
  }),
}

export async function tableNames(database: PostgresDatabase): Promise<string[]> {
  const result = await sql<{ name: string }>`
    SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`.execute(
    database.db,
  )
  return result.rows.map((row) => row.name)
}

/** The schema works after migrating: a company made and read back through the stores. */
export async function expectWorkingStores(database: PostgresDatabase): Promise<void> {
  const { company, scope } = makeTenant()
  await database.stores.companies.create(systemScope('migration test'), company)
  expect(await database.stores.companies.get(scope)).toEqual(company)
}

/** A module's table gets the stores' tenant isolation: each company sees only its own notes. */
export async function expectModuleIsolation(database: PostgresDatabase): Promise<void> {
  const first = makeTenant()
  const second = makeTenant()
  for (const tenant of [first, second]) {
    await database.stores.companies.create(systemScope('migration test'), tenant.company)
    await database.withTenant(tenant.scope, 'note insert', (db) =>
      sql`INSERT INTO test_notes VALUES (${tenant.company.id}, gen_random_uuid(), 'note')`.execute(db),
    )
  }
  const seen = await database.withTenant(first.scope, 'note list', async (db) => {
    const result = await sql<{ company_id: string }>`SELECT company_id FROM test_notes`.execute(db)
    return result.rows.map((row) => row.company_id)
  })
  expect(seen).toEqual([first.company.id])
}
