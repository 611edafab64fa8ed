import {
  type Agent,
  type AgentId,
  type AgentPatch,
  type AgentStore,
  type AgentVersion,
  type CallOptions,
  CoreError,
  type Page,
  type PageRequest,
  type TenantScope,
} from '@agentry/contracts'
import { pastCursor, readKeyset, toPage } from '../keyset-page.js'
import type { Transaction, UnitOfWork } from '../postgres-unit-of-work.js'
import { agentRow, agentVersionRow, toAgent, toAgentVersion } from '../rows/agent-rows.js'

export class PostgresAgentStore implements AgentStore {
  readonly #work: UnitOfWork

  constructor(work: UnitOfWork) {
    this.#work = work
  }

  async create(
    scope: TenantScope,
    agent: Agent,
    version: AgentVersion,
    options?: CallOptions,
  ): Promise<Agent> {
    return this.#work.withTenant(
      scope,
      'agent create',
      async (db) => {
        const row = await db
          .insertInto('agents')
          .values(agentRow(agent))
          .returningAll()
          .executeTakeFirstOrThrow()
        await db.insertInto('agent_versions').values(agentVersionRow(version)).execute()
        return toAgent(row)
      },
      options,
    )
  }

  async get(scope: TenantScope, id: AgentId, options?: CallOptions): Promise<Agent | null> {
    return this.#work.withTenant(scope, 'agent get', (db) => findAgent(db, scope, id), options)
  }

  async list(scope: TenantScope, page?: PageRequest, options?: CallOptions): Promise<Page<Agent>> {
    const { limit, after } = readKeyset(page, 2)
    return this.#work.withTenant(
      scope,
      'agent list',
      async (db) => {
        let query = db.selectFrom('agents').selectAll().where('company_id', '=', scope.companyId)
        if (after) query = query.where(pastCursor(['created_at', 'id'], 'desc', after))
        const rows = await query
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(limit + 1)
          .execute()
        return toPage(rows, limit, toAgent, (row) => [row.created_at, row.id])
      },
      options,
    )
  }

  async update(
    scope: TenantScope,
    id: AgentId,
    patch: AgentPatch,
    options?: CallOptions,
  ): Promise<Agent | null> {
    return this.#work.withTenant(
      scope,
      'agent update',
      async (db) => {
        const row = await db
          .updateTable('agents')
          .set({
            ...(patch.name !== undefined ? { name: patch.name } : {}),
            ...(patch.status !== undefined ? { status: patch.status } : {}),
            updated_at: patch.updatedAt,
          })
          .where('company_id', '=', scope.companyId)
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst()
        return row ? toAgent(row) : null
      },
      options,
    )
  }

  async addVersion(scope: TenantScope, version: AgentVersion, options?: CallOptions): Promise<Agent | null> {
    return this.#work.withTenant(
      scope,
      'agent add version',
      async (db) => {
        const row = await db
          .updateTable('agents')
          .set({
            latest_version: version.version,
            current_version: version.version,
            updated_at: version.createdAt,
          })
          .where('company_id', '=', scope.companyId)
          .where('id', '=', version.agentId)
          .where('latest_version', '=', version.version - 1)
          .returningAll()
          .executeTakeFirst()
        if (!row) {
          const existing = await findAgent(db, scope, version.agentId)
          if (!existing) return null
          throw new CoreError(
            'CONFLICT',
            `Agent ${version.agentId} is at version ${existing.latestVersion}, not ${version.version - 1}: reload and retry`,
            { details: { latestVersion: existing.latestVersion } },
          )
        }
        await db.insertInto('agent_versions').values(agentVersionRow(version)).execute()
        return toAgent(row)
      },
      options,
    )
  }

  async setCurrentVersion(
    scope: TenantScope,
    id: AgentId,
    version: number,
    updatedAt: Date,
    options?: CallOptions,
  ): Promise<Agent | null> {
    return this.#work.withTenant(
      scope,
      'agent set current version',
      async (db) => {
        const row = await db
          .updateTable('agents')
          .set({ current_version: version, updated_at: updatedAt })
          .where('company_id', '=', scope.companyId)
          .where('id', '=', id)
          .where(({ exists, selectFrom }) =>
            exists(
              selectFrom('agent_versions')
                .select('version')
                .where('company_id', '=', scope.companyId)
                .where('agent_id', '=', id)
                .where('version', '=', version),
            ),
          )
          .returningAll()
          .executeTakeFirst()
        return row ? toAgent(row) : null
      },
      options,
    )
  }

  async getVersion(
    scope: TenantScope,
    id: AgentId,
    version: number,
    options?: CallOptions,
  ): Promise<AgentVersion | null> {
    return this.#work.withTenant(
      scope,
      'agent get version',
      async (db) => {
        const row = await db
          .selectFrom('agent_versions')
          .selectAll()
          .where('company_id', '=', scope.companyId)
          .where('agent_id', '=', id)
          .where('version', '=', version)
          .executeTakeFirst()
        return row ? toAgentVersion(row) : null
      },
      options,
    )
  }

  async listVersions(
    scope: TenantScope,
    id: AgentId,
    page?: PageRequest,
    options?: CallOptions,
  ): Promise<Page<AgentVersion>> {
    const { limit, after } = readKeyset(page, 1)
    return this.#work.withTenant(
      scope,
      'agent list versions',
      async (db) => {
        let query = db
          .selectFrom('agent_versions')
          .selectAll()
          .where('company_id', '=', scope.companyId)
          .where('agent_id', '=', id)
        if (after) query = query.where(pastCursor(['version'], 'desc', after))
        const rows = await query
          .orderBy('version', 'desc')
          .limit(limit + 1)
          .execute()
        return toPage(rows, limit, toAgentVersion, (row) => [row.version])
      },
      options,
    )
  }

  async delete(scope: TenantScope, id: AgentId, options?: CallOptions): Promise<boolean> {
    return this.#work.withTenant(
      scope,
      'agent delete',
      async (db) => {
        const result = await db
          .deleteFrom('agents')
          .where('company_id', '=', scope.companyId)
          .where('id', '=', id)
          .executeTakeFirst()
        return result.numDeletedRows > 0n
      },
      options,
    )
  }
}

async function findAgent(db: Transaction, scope: TenantScope, id: AgentId): Promise<Agent | null> {
  const row = await db
    .selectFrom('agents')
    .selectAll()
    .where('company_id', '=', scope.companyId)
    .where('id', '=', id)
    .executeTakeFirst()
  return row ? toAgent(row) : null
}
