import {
  type CallOptions,
  type ChunkId,
  type CompanyId,
  CoreError,
  type DocumentId,
  type KnowledgeBaseId,
  tenantScope,
  type VectorFilter,
  type VectorHit,
  type VectorPoint,
  type VectorQuery,
  type VectorStore,
} from '@agentry/contracts'
import { sql } from 'kysely'
import { throwIfAborted } from './abort.js'
import { byCompany, filterSql, matchesNothing } from './filter-sql.js'
import type { SchemaCheck } from './schema-check.js'
import type { TenantDatabase } from './tenant-database.js'

export interface PgvectorVectorStoreOptions {
  readonly dimensions: number
  /** `hnsw.ef_search` for queries; raised to `topK` when smaller. */
  readonly efSearch: number
  /** Checked before the first statement (tables migrated, vector length). */
  readonly schema?: SchemaCheck
}

interface HitRow {
  readonly id: string
  readonly document_id: string
  readonly knowledge_base_id: string
  readonly score: number | string | null
}

/**
 * Vectors in `chunk_vectors` (`vector(n)`, HNSW, cosine). Every statement runs in a unit of work
 * of the point's or filter's company, so row-level security holds besides the explicit company
 * condition. Queries use pgvector's iterative index scan (`strict_order`): the HNSW scan goes on
 * until enough rows pass the company and knowledge-base filter, instead of returning too few.
 */
export class PgvectorVectorStore implements VectorStore {
  readonly dimensions: number
  readonly #database: TenantDatabase
  readonly #efSearch: number
  readonly #schema: SchemaCheck | undefined

  constructor(database: TenantDatabase, options: PgvectorVectorStoreOptions) {
    this.#database = database
    this.dimensions = options.dimensions
    this.#efSearch = options.efSearch
    this.#schema = options.schema
  }

  async upsert(points: readonly VectorPoint[], options?: CallOptions): Promise<void> {
    throwIfAborted(options, 'Upserting vectors')
    for (const point of points) this.#checkLength(point.vector, `Point ${point.id}`)
    if (points.length > 0) await this.#schema?.ensure()
    for (const [companyId, group] of byCompany(points)) {
      await this.#database.withTenant(
        tenantScope(companyId as CompanyId),
        'vector upsert',
        (db) =>
          sql`
            INSERT INTO chunk_vectors (company_id, id, knowledge_base_id, document_id, embedding)
            SELECT ${companyId}::uuid, input.id, input.knowledge_base_id, input.document_id, input.embedding::vector
            FROM unnest(
              ${group.map((point) => point.id)}::uuid[],
              ${group.map((point) => point.knowledgeBaseId)}::uuid[],
              ${group.map((point) => point.documentId)}::uuid[],
              ${group.map((point) => vectorLiteral(point.vector))}::text[]
            ) AS input (id, knowledge_base_id, document_id, embedding)
            ON CONFLICT (company_id, id) DO UPDATE SET
              knowledge_base_id = EXCLUDED.knowledge_base_id,
              document_id = EXCLUDED.document_id,
              embedding = EXCLUDED.embedding
          `.execute(db),
        options,
      )
    }
  }

  async query(request: VectorQuery, options?: CallOptions): Promise<readonly VectorHit[]> {
    throwIfAborted(options, 'Querying vectors')
    this.#checkLength(request.vector, 'The query vector')
    const { filter } = request
    const topK = Math.floor(request.topK)
    if (topK <= 0 || matchesNothing(filter)) return []
    await this.#schema?.ensure()
    const vector = vectorLiteral(request.vector)
    const efSearch = Math.min(1000, Math.max(this.#efSearch, topK))
    const rows = await this.#database.withTenant(
      tenantScope(filter.companyId),
      'vector query',
      async (db) => {
        await sql
          .raw(`SET LOCAL hnsw.ef_search = ${efSearch}; SET LOCAL hnsw.iterative_scan = strict_order`)
          .execute(db)
        const result = await sql<HitRow>`
          SELECT id, document_id, knowledge_base_id, 1 - (embedding <=> ${vector}::vector) AS score
          FROM chunk_vectors
          WHERE company_id = ${filter.companyId}::uuid
          ${filterSql(filter, { knowledgeBase: 'knowledge_base_id', document: 'document_id' })}
          ORDER BY embedding <=> ${vector}::vector
          LIMIT ${topK}
        `.execute(db)
        return result.rows
      },
      options,
    )
    return rows.map((row) => ({
      id: row.id as ChunkId,
      documentId: row.document_id as DocumentId,
      knowledgeBaseId: row.knowledge_base_id as KnowledgeBaseId,
      score: similarity(row.score),
    }))
  }

  async deleteByFilter(filter: VectorFilter, options?: CallOptions): Promise<number> {
    throwIfAborted(options, 'Deleting vectors')
    if (matchesNothing(filter)) return 0
    await this.#schema?.ensure()
    return this.#database.withTenant(
      tenantScope(filter.companyId),
      'vector delete',
      async (db) => {
        const result = await sql`
          DELETE FROM chunk_vectors
          WHERE company_id = ${filter.companyId}::uuid
          ${filterSql(filter, { knowledgeBase: 'knowledge_base_id', document: 'document_id' })}
        `.execute(db)
        return Number(result.numAffectedRows ?? 0)
      },
      options,
    )
  }

  /** The database belongs to whoever opened it; closing the store releases nothing. */
  async close(): Promise<void> {}

  #checkLength(vector: Float32Array, what: string): void {
    if (vector.length !== this.dimensions) {
      throw new CoreError(
        'INVALID_INPUT',
        `${what} has ${vector.length} dimensions but this store holds ${this.dimensions}: embed with a model of ${this.dimensions} dimensions`,
        { details: { expected: this.dimensions, actual: vector.length } },
      )
    }
    if (!vector.every(Number.isFinite)) {
      throw new CoreError('INVALID_INPUT', `${what} has a component that is not a finite number`)
    }
  }
}

/** pgvector's text form, `[0.1,0.2,...]`; float32 values print exactly as JavaScript numbers. */
function vectorLiteral(vector: Float32Array): string {
  return `[${Array.from(vector).join(',')}]`
}

/** A zero vector has no direction: pgvector answers NaN, reported as 0 (no similarity). */
function similarity(value: number | string | null): number {
  const score = Number(value)
  if (!Number.isFinite(score)) return 0
  return Math.max(-1, Math.min(1, score))
}
