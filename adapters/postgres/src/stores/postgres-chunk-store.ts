import {
  type CallOptions,
  type Chunk,
  type ChunkId,
  type ChunkStore,
  CoreError,
  type DocumentId,
  type TenantScope,
} from '@agentry/contracts'
import type { UnitOfWork } from '../postgres-unit-of-work.js'
import { chunkRow, toChunk } from '../rows/knowledge-rows.js'

/** Rows per INSERT, well under PostgreSQL's 65,535 parameters per statement. */
const INSERT_BATCH = 1000

export class PostgresChunkStore implements ChunkStore {
  readonly #work: UnitOfWork

  constructor(work: UnitOfWork) {
    this.#work = work
  }

  async replaceForDocument(
    scope: TenantScope,
    documentId: DocumentId,
    chunks: readonly Chunk[],
    options?: CallOptions,
  ): Promise<void> {
    return this.#work.withTenant(
      scope,
      'chunk replace for document',
      async (db) => {
        // Locks the document row, so two replacements of one document run one after the other.
        const document = await db
          .selectFrom('documents')
          .select('id')
          .where('company_id', '=', scope.companyId)
          .where('id', '=', documentId)
          .forUpdate()
          .executeTakeFirst()
        if (!document) {
          throw new CoreError(
            'NOT_FOUND',
            `Document ${documentId} does not exist: its chunks were not stored`,
          )
        }
        await db
          .deleteFrom('chunks')
          .where('company_id', '=', scope.companyId)
          .where('document_id', '=', documentId)
          .execute()
        for (let start = 0; start < chunks.length; start += INSERT_BATCH) {
          const batch = chunks.slice(start, start + INSERT_BATCH)
          await db.insertInto('chunks').values(batch.map(chunkRow)).execute()
        }
      },
      options,
    )
  }

  async listForDocument(
    scope: TenantScope,
    documentId: DocumentId,
    options?: CallOptions,
  ): Promise<readonly Chunk[]> {
    return this.#work.withTenant(
      scope,
      'chunk list for document',
      async (db) => {
        const rows = await db
          .selectFrom('chunks')
          .selectAll()
          .where('company_id', '=', scope.companyId)
          .where('document_id', '=', documentId)
          .orderBy('ordinal')
          .execute()
        return rows.map(toChunk)
      },
      options,
    )
  }

  async getMany(
    scope: TenantScope,
    ids: readonly ChunkId[],
    options?: CallOptions,
  ): Promise<readonly Chunk[]> {
    return this.#work.withTenant(
      scope,
      'chunk get many',
      async (db) => {
        if (ids.length === 0) return []
        const rows = await db
          .selectFrom('chunks')
          .selectAll()
          .where('company_id', '=', scope.companyId)
          .where('id', 'in', [...ids])
          .execute()
        return rows.map(toChunk)
      },
      options,
    )
  }
}
