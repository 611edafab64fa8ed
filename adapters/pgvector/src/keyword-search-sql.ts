import type { VectorFilter } from '@agentry/contracts'
import { type RawBuilder, sql } from 'kysely'

export interface Bm25Options {
  readonly textSearchConfig: string
  readonly k1: number
  readonly b: number
}

/**
 * One statement of BM25 (Robertson/Sparck Jones idf `ln(1 + (N - df + 0.5) / (df + 0.5))`,
 * saturation `k1`, length normalisation `b`):
 * 1. the query's distinct terms from the same analyser as the entries (`tsvector_to_array`);
 * 2. their postings in the company and the filter's knowledge bases (an index-only range scan of
 *    the primary key per term), each with its term's document frequency (a window count over
 *    the same postings), N and the average length from `keyword_statistics` of the same knowledge
 *    bases; both CTEs are materialised, so the plan stays linear even without table statistics
 *    (PGlite never runs autovacuum);
 * 3. the document filter, if any, narrows which entries are scored, not the statistics.
 * Ties break on the entry id so results are stable.
 */
export function keywordSearchSql<Row>(
  filter: VectorFilter,
  text: string,
  topK: number,
  options: Bm25Options,
): RawBuilder<Row> {
  const config = sql`${sql.lit(options.textSearchConfig)}::regconfig`
  const bases = filter.knowledgeBaseIds
    ? sql`AND knowledge_base_id = ANY(${[...filter.knowledgeBaseIds]}::uuid[])`
    : sql``
  const documents = filter.documentIds
    ? sql`WHERE matches.document_id = ANY(${[...filter.documentIds]}::uuid[])`
    : sql``
  const k1 = sql.lit(options.k1)
  const b = sql.lit(options.b)
  return sql<Row>`
    WITH collection AS MATERIALIZED (
      SELECT COALESCE(sum(entry_count), 0)::float8 AS entry_count,
        COALESCE(sum(total_length), 0)::float8 AS total_length
      FROM keyword_statistics
      WHERE company_id = ${filter.companyId}::uuid ${bases}
    ),
    matches AS MATERIALIZED (
      SELECT term, entry_id, document_id, knowledge_base_id, frequency, entry_length,
        count(*) OVER (PARTITION BY term)::float8 AS document_frequency
      FROM keyword_postings
      WHERE company_id = ${filter.companyId}::uuid
        AND term = ANY(tsvector_to_array(to_tsvector(${config}, ${text})))
        ${bases}
    )
    SELECT matches.entry_id AS id, matches.document_id, matches.knowledge_base_id,
      sum(
        ln(1 + (greatest(collection.entry_count, matches.document_frequency)
          - matches.document_frequency + 0.5) / (matches.document_frequency + 0.5))
        * matches.frequency * (${k1} + 1)
        / (matches.frequency + ${k1} * (1 - ${b} + ${b} * matches.entry_length
          / greatest(collection.total_length / greatest(collection.entry_count, 1), 1)))
      ) AS score
    FROM matches CROSS JOIN collection
    ${documents}
    GROUP BY matches.entry_id, matches.document_id, matches.knowledge_base_id
    ORDER BY score DESC, matches.entry_id
    LIMIT ${topK}
  `
}
