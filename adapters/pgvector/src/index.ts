export { createPgvector, type Pgvector, parsePgvectorConfig, pgvectorMigrations } from './create-pgvector.js'
export { type PgvectorConfig, type PgvectorConfigInput, PgvectorConfigSchema } from './pgvector-config.js'
export {
  MAX_KEYWORD_TEXT_CHARS,
  PgvectorKeywordIndex,
  type PgvectorKeywordIndexOptions,
} from './pgvector-keyword-index.js'
export { PgvectorVectorStore, type PgvectorVectorStoreOptions } from './pgvector-vector-store.js'
export type { TenantDatabase } from './tenant-database.js'
