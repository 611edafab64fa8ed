import { type PostgresMigrationModule, tableSecuritySql } from '@agentry/postgres'
import { sql } from 'kysely'
import type { PgvectorConfig } from './pgvector-config.js'

const READ_WRITE = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] as const

/**
 * The keyword index: one row per entry (its length in terms) and one posting per distinct term of
 * an entry with its frequency, the entry's length denormalised so scoring reads postings only.
 * Per knowledge base, the number of entries and their total length (BM25's N and average length).
 * No foreign keys to the stores' tables: the ports take ids, and deletes run through the ports.
 */
function keywordIndexSql(role: string): string {
  return `
CREATE TABLE keyword_entries (
  company_id uuid NOT NULL,
  id uuid NOT NULL,
  knowledge_base_id uuid NOT NULL,
  document_id uuid NOT NULL,
  length integer NOT NULL CHECK (length >= 0),
  PRIMARY KEY (company_id, id)
);
CREATE INDEX keyword_entries_company_base_idx ON keyword_entries (company_id, knowledge_base_id);
CREATE INDEX keyword_entries_company_document_idx ON keyword_entries (company_id, document_id);

CREATE TABLE keyword_postings (
  company_id uuid NOT NULL,
  term text NOT NULL,
  knowledge_base_id uuid NOT NULL,
  entry_id uuid NOT NULL,
  document_id uuid NOT NULL,
  frequency integer NOT NULL CHECK (frequency > 0),
  entry_length integer NOT NULL CHECK (entry_length > 0),
  PRIMARY KEY (company_id, term, knowledge_base_id, entry_id)
    INCLUDE (document_id, frequency, entry_length)
);
CREATE INDEX keyword_postings_company_entry_idx ON keyword_postings (company_id, entry_id);

CREATE TABLE keyword_statistics (
  company_id uuid NOT NULL,
  knowledge_base_id uuid NOT NULL,
  entry_count bigint NOT NULL CHECK (entry_count >= 0),
  total_length bigint NOT NULL CHECK (total_length >= 0),
  PRIMARY KEY (company_id, knowledge_base_id)
);
${tableSecuritySql({ table: 'keyword_entries', role, privileges: READ_WRITE })}
${tableSecuritySql({ table: 'keyword_postings', role, privileges: READ_WRITE })}
${tableSecuritySql({ table: 'keyword_statistics', role, privileges: READ_WRITE })}
`
}

function chunkVectorsSql(role: string, config: PgvectorConfig): string {
  const { dimensions, hnsw } = config
  return `
CREATE EXTENSION IF NOT EXISTS vector;
CREATE TABLE chunk_vectors (
  company_id uuid NOT NULL,
  id uuid NOT NULL,
  knowledge_base_id uuid NOT NULL,
  document_id uuid NOT NULL,
  embedding vector(${dimensions}) NOT NULL,
  PRIMARY KEY (company_id, id)
);
CREATE INDEX chunk_vectors_company_base_idx ON chunk_vectors (company_id, knowledge_base_id);
CREATE INDEX chunk_vectors_company_document_idx ON chunk_vectors (company_id, document_id);
CREATE INDEX chunk_vectors_embedding_idx ON chunk_vectors
  USING hnsw (embedding vector_cosine_ops) WITH (m = ${hnsw.m}, ef_construction = ${hnsw.efConstruction});
${tableSecuritySql({ table: 'chunk_vectors', role, privileges: READ_WRITE })}
`
}

/**
 * The adapter's tables under the stores' row-level security, applied by
 * `database.migrate({ modules: [pgvectorMigrations(config)] })`. The vector column's length comes
 * from `config.dimensions` when the table is created; `createPgvector` refuses a database whose
 * table holds another length. Creating the `vector` extension needs a role allowed to (the owner
 * on PGlite, a superuser or a database owner with the extension trusted on a server), or a DBA who
 * ran `CREATE EXTENSION vector` beforehand.
 */
export function pgvectorMigrationModule(config: PgvectorConfig): PostgresMigrationModule {
  return {
    name: 'agentry_pgvector',
    migrations: ({ role }) => ({
      '0001_keyword_index': {
        up: (db) =>
          sql
            .raw(keywordIndexSql(role))
            .execute(db)
            .then(() => undefined),
      },
      '0002_chunk_vectors': {
        up: (db) =>
          sql
            .raw(chunkVectorsSql(role, config))
            .execute(db)
            .then(() => undefined),
      },
    }),
  }
}
