export { createEmbeddedPostgres, createServerPostgres } from './create-postgres.js'
export type { Database } from './database-schema.js'
export {
  CURRENT_COMPANY_SQL,
  type PolicyCommand,
  SYSTEM_SCOPE_SQL,
  type TablePrivilege,
  type TableSecurity,
  tableSecuritySql,
} from './migrations/row-level-security.js'
export {
  type EmbeddedPostgresConfig,
  type EmbeddedPostgresConfigInput,
  EmbeddedPostgresConfigSchema,
  type PostgresQueryEvent,
  type PostgresQueryListener,
  type ServerPostgresConfig,
  type ServerPostgresConfigInput,
  ServerPostgresConfigSchema,
} from './postgres-config.js'
export { type MigrateOptions, PostgresDatabase } from './postgres-database.js'
export { toCoreError } from './postgres-errors.js'
export {
  type MigrationContext,
  type MigrationReport,
  type PostgresMigrationModule,
  STORES_MIGRATIONS,
} from './postgres-migrations.js'
export type { Transaction } from './postgres-unit-of-work.js'
export { createPostgresStores } from './stores/postgres-stores.js'
