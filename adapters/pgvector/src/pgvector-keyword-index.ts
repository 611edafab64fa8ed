import {
  type CallOptions,
  type ChunkId,
  type CompanyId,
  CoreError,
  type DocumentId,
  type KeywordEntry,
  type KeywordHit,
  type KeywordIndex,
  type KeywordQuery,
  type KnowledgeBaseId,
  type TenantScope,
  tenantScope,
  type VectorFilter,
} from '@agentry/contracts'
import type { Transaction } from '@agentry/postgres'
import { type RawBuilder, sql } from 'kysely'
import { throwIfAborted } from './abort.js'
import { byCompany, filterSql, matchesNothing } from './filter-sql.js'
import { keywordSearchSql } from './keyword-search-sql.js'
import type { SchemaCheck } from './schema-check.js'
import type { TenantDatabase } from './tenant-database.js'

export interface PgvectorKeywordIndexOptions {
  /** A PostgreSQL text search configuration (a plain identifier), e.g. `english`. */
  readonly textSearchConfig: string
  readonly k1: number
  readonly b: number
  /** Checked before the first statement (tables migrated). */
  readonly schema?: SchemaCheck
}

/** A tsvector holds at most 1 MB; texts are checked well below that so no statement fails late. */
export const MAX_KEYWORD_TEXT_CHARS = 500_000

interface StatisticsRow {
  readonly knowledge_base_id: string
  readonly entry_count: string | number
  readonly total_length: string | number
}

interface HitRow {
  readonly id: string
  readonly document_id: string
  readonly knowledge_base_id: string
  readonly score: number | string
}

/**
 * BM25 in SQL over an inverted index. Terms come from PostgreSQL's own analyser
 * (`to_tsvector(config, text)`: lowercasing, stop words, Snowball stemming), for entries and for
 * queries alike, so user text is never parsed as query syntax. Statistics (entry count, average
 * length, document frequency) are those of the knowledge bases searched, within one company.
 * Writes of one company take a transaction-scoped advisory lock, so the per-knowledge-base
 * statistics stay exact under concurrent upserts and deletes.
 */
export class PgvectorKeywordIndex implements KeywordIndex {
  readonly #database: TenantDatabase
  readonly #options: PgvectorKeywordIndexOptions

  constructor(database: TenantDatabase, options: PgvectorKeywordIndexOptions) {
    this.#database = database
    this.#options = options
  }

  async upsert(entries: readonly KeywordEntry[], options?: CallOptions): Promise<void> {
    throwIfAborted(options, 'Indexing keywords')
    for (const entry of entries) {
      if (entry.text.length > MAX_KEYWORD_TEXT_CHARS) {
        throw new CoreError(
          'INVALID_INPUT',
          `Keyword entry ${entry.id} has ${entry.text.length} characters; at most ${MAX_KEYWORD_TEXT_CHARS} are indexed: index smaller chunks`,
          { details: { id: entry.id, length: entry.text.length, max: MAX_KEYWORD_TEXT_CHARS } },
        )
      }
    }
    const config = this.#options.textSearchConfig
    if (entries.length > 0) await this.#options.schema?.ensure()
    for (const [companyId, group] of byCompany(entries)) {
      const scope = tenantScope(companyId as CompanyId)
      await this.#database.withTenant(
        scope,
        'keyword upsert',
        async (db) => {
          await lockCompany(db, scope)
          const ids = group.map((entry) => entry.id)
          await removeEntries(db, scope, sql`AND id = ANY(${ids}::uuid[])`)
          const added = await sql<StatisticsRow>`
            WITH input AS (
              SELECT * FROM unnest(
                ${ids}::uuid[],
                ${group.map((entry) => entry.knowledgeBaseId)}::uuid[],
                ${group.map((entry) => entry.documentId)}::uuid[],
                ${group.map((entry) => withoutNul(entry.text))}::text[]
              ) AS input (id, knowledge_base_id, document_id, text)
            ),
            terms AS (
              SELECT input.id, lexemes.lexeme AS term, cardinality(lexemes.positions) AS frequency
              FROM input, unnest(to_tsvector(${sql.lit(config)}::regconfig, input.text)) AS lexemes
            ),
            lengths AS (
              SELECT input.id, input.knowledge_base_id, input.document_id,
                COALESCE((SELECT sum(terms.frequency) FROM terms WHERE terms.id = input.id), 0)::integer AS length
              FROM input
            ),
            inserted_entries AS (
              INSERT INTO keyword_entries (company_id, id, knowledge_base_id, document_id, length)
              SELECT ${companyId}::uuid, id, knowledge_base_id, document_id, length FROM lengths
            ),
            inserted_postings AS (
              INSERT INTO keyword_postings
                (company_id, term, knowledge_base_id, entry_id, document_id, frequency, entry_length)
              SELECT ${companyId}::uuid, terms.term, lengths.knowledge_base_id, lengths.id,
                lengths.document_id, terms.frequency, lengths.length
              FROM terms JOIN lengths ON lengths.id = terms.id
            )
            SELECT knowledge_base_id, count(*) AS entry_count, sum(length) AS total_length
            FROM lengths GROUP BY knowledge_base_id
          `.execute(db)
          await adjustStatistics(db, scope, added.rows, 1)
        },
        options,
      )
    }
  }

  async search(query: KeywordQuery, options?: CallOptions): Promise<readonly KeywordHit[]> {
    throwIfAborted(options, 'Searching keywords')
    const { filter } = query
    const topK = Math.floor(query.topK)
    const text = withoutNul(query.text).slice(0, MAX_KEYWORD_TEXT_CHARS)
    if (topK <= 0 || matchesNothing(filter) || text.trim() === '') return []
    await this.#options.schema?.ensure()
    const rows = await this.#database.withTenant(
      tenantScope(filter.companyId),
      'keyword search',
      async (db) => (await keywordSearchSql<HitRow>(filter, text, topK, this.#options).execute(db)).rows,
      options,
    )
    return rows.map((row) => ({
      id: row.id as ChunkId,
      documentId: row.document_id as DocumentId,
      knowledgeBaseId: row.knowledge_base_id as KnowledgeBaseId,
      score: Number(row.score),
    }))
  }

  async deleteByFilter(filter: VectorFilter, options?: CallOptions): Promise<number> {
    throwIfAborted(options, 'Deleting keyword entries')
    if (matchesNothing(filter)) return 0
    await this.#options.schema?.ensure()
    const scope = tenantScope(filter.companyId)
    return this.#database.withTenant(
      scope,
      'keyword delete',
      async (db) => {
        await lockCompany(db, scope)
        return removeEntries(
          db,
          scope,
          filterSql(filter, { knowledgeBase: 'knowledge_base_id', document: 'document_id' }),
        )
      },
      options,
    )
  }

  /** The database belongs to whoever opened it; closing the index releases nothing. */
  async close(): Promise<void> {}
}

/** PostgreSQL text cannot hold NUL; it carries no words either. */
function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text
}

/** Serialises this company's index writes (held until the transaction ends). */
async function lockCompany(db: Transaction, scope: TenantScope): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`agentry.keywords:${scope.companyId}`}, 0))`.execute(
    db,
  )
}

/** Deletes the matching entries and their postings, takes them out of the statistics, counts them. */
async function removeEntries(
  db: Transaction,
  scope: TenantScope,
  condition: RawBuilder<unknown>,
): Promise<number> {
  const removed = await sql<StatisticsRow>`
    WITH removed AS (
      DELETE FROM keyword_entries WHERE company_id = ${scope.companyId}::uuid ${condition}
      RETURNING id, knowledge_base_id, length
    ),
    removed_postings AS (
      DELETE FROM keyword_postings
      WHERE company_id = ${scope.companyId}::uuid AND entry_id IN (SELECT id FROM removed)
    )
    SELECT knowledge_base_id, count(*) AS entry_count, sum(length) AS total_length
    FROM removed GROUP BY knowledge_base_id
  `.execute(db)
  await adjustStatistics(db, scope, removed.rows, -1)
  return removed.rows.reduce((total, row) => total + Number(row.entry_count), 0)
}

/** Adds (`sign` 1) or takes away (-1) entries and lengths per knowledge base; empty rows go. */
async function adjustStatistics(
  db: Transaction,
  scope: TenantScope,
  rows: readonly StatisticsRow[],
  sign: 1 | -1,
): Promise<void> {
  if (rows.length === 0) return
  const bases = rows.map((row) => row.knowledge_base_id)
  const counts = rows.map((row) => Number(row.entry_count))
  const lengths = rows.map((row) => Number(row.total_length))
  const input = sql`unnest(${bases}::uuid[], ${counts}::bigint[], ${lengths}::bigint[])
    AS input (knowledge_base_id, entry_count, total_length)`
  if (sign > 0) {
    await sql`
      INSERT INTO keyword_statistics AS statistics (company_id, knowledge_base_id, entry_count, total_length)
      SELECT ${scope.companyId}::uuid, input.knowledge_base_id, input.entry_count, input.total_length
      FROM ${input}
      ON CONFLICT (company_id, knowledge_base_id) DO UPDATE SET
        entry_count = statistics.entry_count + EXCLUDED.entry_count,
        total_length = statistics.total_length + EXCLUDED.total_length
    `.execute(db)
    return
  }
  await sql`
    UPDATE keyword_statistics AS statistics SET
      entry_count = statistics.entry_count - input.entry_count,
      total_length = statistics.total_length - input.total_length
    FROM ${input}
    WHERE statistics.company_id = ${scope.companyId}::uuid
      AND statistics.knowledge_base_id = input.knowledge_base_id
  `.execute(db)
  await sql`
    DELETE FROM keyword_statistics
    WHERE company_id = ${scope.companyId}::uuid AND knowledge_base_id = ANY(${bases}::uuid[])
      AND entry_count = 0
  `.execute(db)
}
