import { CoreError } from '@agentry/contracts'
import type { Kysely } from 'kysely'
import { type Migration, Migrator } from 'kysely/migration'
import * as tenancyAndConversations from './migrations/0001-tenancy-and-conversations.js'
import * as knowledgeAndTools from './migrations/0002-knowledge-and-tools.js'
import * as usageBillingAndAudit from './migrations/0003-usage-billing-and-audit.js'
import { rowLevelSecurityMigration } from './migrations/0004-row-level-security.js'
import { assertIdentifier } from './migrations/row-level-security.js'
import { toCoreError } from './postgres-errors.js'

/** What a module's migrations may need to know about the database they run in. */
export interface MigrationContext {
  /** The runtime role: grant it what it needs on new tables (see `tableSecuritySql`). */
  readonly role: string
}

/**
 * A set of forward-only migrations with its own bookkeeping table (`<name>_migration`), so sibling
 * adapters (pgvector) version their tables independently of the stores. Names sort in run order.
 */
export interface PostgresMigrationModule {
  readonly name: string
  readonly migrations: (context: MigrationContext) => Readonly<Record<string, Migration>>
}

export interface MigrationReport {
  /** `<module>/<migration>` for each migration this call applied, in order. */
  readonly applied: readonly string[]
}

/** The stores' schema: tables, append-only triggers, the runtime role and row-level security. */
export const STORES_MIGRATIONS: PostgresMigrationModule = {
  name: 'agentry',
  migrations: ({ role }) => ({
    '0001_tenancy_and_conversations': tenancyAndConversations,
    '0002_knowledge_and_tools': knowledgeAndTools,
    '0003_usage_billing_and_audit': usageBillingAndAudit,
    '0004_row_level_security': rowLevelSecurityMigration(role),
  }),
}

/**
 * Applies what is pending of each module, in order. Safe to run twice and concurrently: kysely's
 * migrator holds a PostgreSQL advisory lock while it applies and skips what is already recorded.
 */
export async function runMigrations(
  db: Kysely<unknown>,
  modules: readonly PostgresMigrationModule[],
  context: MigrationContext,
): Promise<MigrationReport> {
  const applied: string[] = []
  for (const module of modules) {
    const name = assertIdentifier(module.name, 'migration module name')
    const migrations = module.migrations(context)
    const migrator = new Migrator({
      db,
      provider: { getMigrations: async () => ({ ...migrations }) },
      migrationTableName: `${name}_migration`,
      migrationLockTableName: `${name}_migration_lock`,
    })
    const { error, results } = await migrator.migrateToLatest()
    const failed = results?.find((result) => result.status === 'Error')
    if (error !== undefined || failed) {
      const mapped = toCoreError(error, `migration ${name}/${failed?.migrationName ?? '(setup)'}`)
      if (mapped.code !== 'INTERNAL') throw mapped
      throw new CoreError(
        'INTERNAL',
        `${mapped.message}; the schema was left at the last applied migration`,
        {
          cause: error,
        },
      )
    }
    for (const result of results ?? []) applied.push(`${name}/${result.migrationName}`)
  }
  return { applied }
}
