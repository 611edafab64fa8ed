import { CoreError, systemScope, zodIssues } from '@agentry/contracts'
import type { PostgresMigrationModule } from '@agentry/postgres'
import { sql } from 'kysely'
import { type PgvectorConfig, type PgvectorConfigInput, PgvectorConfigSchema } from './pgvector-config.js'
import { PgvectorKeywordIndex } from './pgvector-keyword-index.js'
import { pgvectorMigrationModule } from './pgvector-migrations.js'
import { PgvectorVectorStore } from './pgvector-vector-store.js'
import { SchemaCheck } from './schema-check.js'
import type { TenantDatabase } from './tenant-database.js'

export interface Pgvector {
  readonly vectorStore: PgvectorVectorStore
  readonly keywordIndex: PgvectorKeywordIndex
  /**
   * Checks now that the tables exist and hold vectors of `dimensions` (the stores check on their
   * first call anyway). `UNAVAILABLE` before `migrate`, `INVALID_INPUT` for another vector length.
   */
  verify(): Promise<void>
}

export function parsePgvectorConfig(input: PgvectorConfigInput): PgvectorConfig {
  const parsed = PgvectorConfigSchema.safeParse(input ?? {})
  if (parsed.success) return parsed.data
  const issues = zodIssues(parsed.error)
  const summary = issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ')
  throw new CoreError('INVALID_INPUT', `pgvector config is invalid: ${summary}`, { details: { issues } })
}

/** The migrations to pass to `database.migrate({ modules: [...] })`. */
export function pgvectorMigrations(input: PgvectorConfigInput): PostgresMigrationModule {
  return pgvectorMigrationModule(parsePgvectorConfig(input))
}

/**
 * The vector store and keyword index on a database of `@agentry/postgres` migrated with
 * `pgvectorMigrations(config)`. Nothing is read here, so the composition can be built before the
 * migrations run; the first call of either store (or `verify`) checks the schema once.
 */
export function createPgvector(database: TenantDatabase, input: PgvectorConfigInput): Pgvector {
  const config = parsePgvectorConfig(input)
  const schema = new SchemaCheck(() => checkSchema(database, config))
  return {
    vectorStore: new PgvectorVectorStore(database, {
      dimensions: config.dimensions,
      efSearch: config.hnsw.efSearch,
      schema,
    }),
    keywordIndex: new PgvectorKeywordIndex(database, { ...config.keyword, schema }),
    verify: () => schema.ensure(),
  }
}

async function checkSchema(database: TenantDatabase, config: PgvectorConfig): Promise<void> {
  const operation = 'pgvector schema check'
  const stored = await database.withSystem(systemScope(operation), operation, async (db) => {
    const result = await sql<{ readonly vectors: string | null; readonly keywords: string | null }>`
      SELECT
        (SELECT format_type(atttypid, atttypmod) FROM pg_attribute
          WHERE attrelid = to_regclass('chunk_vectors') AND attname = 'embedding') AS vectors,
        to_regclass('keyword_postings')::text AS keywords
    `.execute(db)
    return result.rows[0]
  })
  if (!stored?.vectors || !stored.keywords) {
    throw new CoreError(
      'UNAVAILABLE',
      'The pgvector tables are missing: run the migrations (database.migrate({ modules: [pgvectorMigrations(config)] }), or agentry migrate) first',
      { isRetryable: false },
    )
  }
  const expected = `vector(${config.dimensions})`
  if (stored.vectors !== expected) {
    throw new CoreError(
      'INVALID_INPUT',
      `chunk_vectors holds ${stored.vectors} but the embedding model gives ${config.dimensions} dimensions: configure an embedding model of that length, or start a new database and re-index every document into it`,
      { details: { stored: stored.vectors, expected } },
    )
  }
}
