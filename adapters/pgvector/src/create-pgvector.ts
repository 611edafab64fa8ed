import { CoreError, systemScope, zodIssues } from '@agentry/contracts'
import type { PostgresMigrationModule } from '@agentry/postgres'
import { sql } from 'kysely'
import { type PgvectorConfig, type PgvectorConfigInput, PgvectorConfigSchema } from './pgvector-config.js'
import { PgvectorKeywordIndex } from './pgvector-keyword-index.js'
import { pgvectorMigrationModule } from './pgvector-migrations.js'
import { PgvectorVectorStore } from './pgvector-vector-store.js'
import type { TenantDatabase } from './tenant-database.js'

export interface Pgvector {
  readonly vectorStore: PgvectorVectorStore
  readonly keywordIndex: PgvectorKeywordIndex
}

export function parsePgvectorConfig(input: PgvectorConfigInput): PgvectorConfig {
  const parsed = PgvectorConfigSchema.safeParse(input ?? {})
  if (parsed.success) return parsed.data
  const issues = zodIssues(parsed.error)
  const summary = issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ')
  throw new CoreError('INVALID_INPUT', `pgvector config is invalid: ${summary}`, { details: { issues } })
}

/** The migrations to pass to `database.migrate({ modules: [...] })` before `createPgvector`. */
export function pgvectorMigrations(input: PgvectorConfigInput): PostgresMigrationModule {
  return pgvectorMigrationModule(parsePgvectorConfig(input))
}

/**
 * The vector store and keyword index on a migrated database of `@agentry/postgres`. Checks that
 * the adapter's tables exist and that `chunk_vectors` holds vectors of `dimensions`: a database
 * made for another embedding model is refused with a message saying what to do.
 */
export async function createPgvector(
  database: TenantDatabase,
  input: PgvectorConfigInput,
): Promise<Pgvector> {
  const config = parsePgvectorConfig(input)
  const stored = await database.withSystem(
    systemScope('pgvector schema check'),
    'pgvector schema check',
    async (db) => {
      const result = await sql<{ readonly vectors: string | null; readonly keywords: string | null }>`
      SELECT
        (SELECT format_type(atttypid, atttypmod) FROM pg_attribute
          WHERE attrelid = to_regclass('chunk_vectors') AND attname = 'embedding') AS vectors,
        to_regclass('keyword_postings')::text AS keywords
    `.execute(db)
      return result.rows[0]
    },
  )
  if (!stored?.vectors || !stored.keywords) {
    throw new CoreError(
      'UNAVAILABLE',
      'The pgvector tables are missing: run database.migrate({ modules: [pgvectorMigrations(config)] }) first',
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
  return {
    vectorStore: new PgvectorVectorStore(database, {
      dimensions: config.dimensions,
      efSearch: config.hnsw.efSearch,
    }),
    keywordIndex: new PgvectorKeywordIndex(database, config.keyword),
  }
}
