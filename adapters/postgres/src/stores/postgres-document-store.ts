import type {
  CallOptions,
  DocumentId,
  DocumentStatusUpdate,
  DocumentStore,
  KnowledgeBaseId,
  KnowledgeDocument,
  Page,
  PageRequest,
  TenantScope,
} from '@agentry/contracts'
import { pastCursor, readKeyset, toPage } from '../keyset-page.js'
import type { UnitOfWork } from '../postgres-unit-of-work.js'
import { DOCUMENT_COLUMNS, documentRow, toDocument } from '../rows/knowledge-rows.js'
import { toBytes } from '../rows/row-values.js'

export class PostgresDocumentStore implements DocumentStore {
  readonly #work: UnitOfWork

  constructor(work: UnitOfWork) {
    this.#work = work
  }

  async create(
    scope: TenantScope,
    document: KnowledgeDocument,
    content: Uint8Array,
    options?: CallOptions,
  ): Promise<KnowledgeDocument> {
    return this.#work.withTenant(
      scope,
      'document create',
      async (db) => {
        const row = await db
          .insertInto('documents')
          .values(documentRow(document, content))
          .returning(DOCUMENT_COLUMNS)
          .executeTakeFirstOrThrow()
        return toDocument(row)
      },
      options,
    )
  }

  async get(scope: TenantScope, id: DocumentId, options?: CallOptions): Promise<KnowledgeDocument | null> {
    return this.#work.withTenant(
      scope,
      'document get',
      async (db) => {
        const row = await db
          .selectFrom('documents')
          .select(DOCUMENT_COLUMNS)
          .where('company_id', '=', scope.companyId)
          .where('id', '=', id)
          .executeTakeFirst()
        return row ? toDocument(row) : null
      },
      options,
    )
  }

  async getContent(scope: TenantScope, id: DocumentId, options?: CallOptions): Promise<Uint8Array | null> {
    return this.#work.withTenant(
      scope,
      'document get content',
      async (db) => {
        const row = await db
          .selectFrom('documents')
          .select('content')
          .where('company_id', '=', scope.companyId)
          .where('id', '=', id)
          .executeTakeFirst()
        return row ? toBytes(row.content) : null
      },
      options,
    )
  }

  async list(
    scope: TenantScope,
    knowledgeBaseId: KnowledgeBaseId,
    page?: PageRequest,
    options?: CallOptions,
  ): Promise<Page<KnowledgeDocument>> {
    const { limit, after } = readKeyset(page, 2)
    return this.#work.withTenant(
      scope,
      'document list',
      async (db) => {
        let query = db
          .selectFrom('documents')
          .select(DOCUMENT_COLUMNS)
          .where('company_id', '=', scope.companyId)
          .where('knowledge_base_id', '=', knowledgeBaseId)
        if (after) query = query.where(pastCursor(['created_at', 'id'], 'asc', after))
        const rows = await query
          .orderBy('created_at')
          .orderBy('id')
          .limit(limit + 1)
          .execute()
        return toPage(rows, limit, toDocument, (row) => [row.created_at, row.id])
      },
      options,
    )
  }

  async findBySha256(
    scope: TenantScope,
    knowledgeBaseId: KnowledgeBaseId,
    sha256: string,
    options?: CallOptions,
  ): Promise<readonly KnowledgeDocument[]> {
    return this.#work.withTenant(
      scope,
      'document find by sha256',
      async (db) => {
        const rows = await db
          .selectFrom('documents')
          .select(DOCUMENT_COLUMNS)
          .where('company_id', '=', scope.companyId)
          .where('knowledge_base_id', '=', knowledgeBaseId)
          .where('sha256', '=', sha256)
          .orderBy('created_at')
          .orderBy('id')
          .execute()
        return rows.map(toDocument)
      },
      options,
    )
  }

  async updateStatus(
    scope: TenantScope,
    id: DocumentId,
    update: DocumentStatusUpdate,
    options?: CallOptions,
  ): Promise<KnowledgeDocument | null> {
    return this.#work.withTenant(
      scope,
      'document update status',
      async (db) => {
        const row = await db
          .updateTable('documents')
          .set((eb) => ({
            status: update.status,
            // A document that is not failed has no error; a failed one keeps its reason unless given one.
            error:
              update.error !== undefined ? update.error : update.status === 'failed' ? eb.ref('error') : null,
            ...(update.chunkCount !== undefined ? { chunk_count: update.chunkCount } : {}),
            ...(update.tokenCount !== undefined ? { token_count: update.tokenCount } : {}),
            ...(update.indexedAt !== undefined ? { indexed_at: update.indexedAt } : {}),
            updated_at: update.updatedAt,
          }))
          .where('company_id', '=', scope.companyId)
          .where('id', '=', id)
          .returning(DOCUMENT_COLUMNS)
          .executeTakeFirst()
        return row ? toDocument(row) : null
      },
      options,
    )
  }

  async delete(scope: TenantScope, id: DocumentId, options?: CallOptions): Promise<boolean> {
    return this.#work.withTenant(
      scope,
      'document delete',
      async (db) => {
        const result = await db
          .deleteFrom('documents')
          .where('company_id', '=', scope.companyId)
          .where('id', '=', id)
          .executeTakeFirst()
        return result.numDeletedRows > 0n
      },
      options,
    )
  }
}
