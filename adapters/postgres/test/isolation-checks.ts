import { CoreError, type Stores, systemScope, type TenantScope } from '@agentry/contracts'
import {
  makeAgent,
  makeAgentVersion,
  makeAuditEntry,
  makeTenant,
  makeUsageEvent,
} from '@agentry/contracts/testing'
import { type Kysely, sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import type { PostgresDatabase } from '../src/index.js'

const SYSTEM = systemScope('isolation test')

async function seedCompany(stores: Stores): Promise<TenantScope> {
  const { company, scope } = makeTenant()
  await stores.companies.create(SYSTEM, company)
  const agent = makeAgent(scope)
  await stores.agents.create(scope, agent, makeAgentVersion(agent))
  await stores.usage.append(scope, [makeUsageEvent({ companyId: scope.companyId, agentId: agent.id })])
  await stores.audit.append(scope, makeAuditEntry(scope))
  return scope
}

/** Runs raw SQL as the runtime role with no tenant set, on one connection, and rolls back. */
async function asRuntimeRoleWithoutTenant<T>(
  database: PostgresDatabase,
  query: (db: Kysely<unknown>) => Promise<T>,
) {
  return database.db.connection().execute(async (connection) => {
    await sql.raw(`BEGIN; SET LOCAL ROLE ${database.role}`).execute(connection)
    try {
      return await query(connection as Kysely<unknown>)
    } finally {
      await sql.raw('ROLLBACK').execute(connection)
    }
  })
}

async function failure(action: Promise<unknown>): Promise<unknown> {
  return action.then(
    () => undefined,
    (error: unknown) => error,
  )
}

/**
 * Tenant isolation enforced by the database itself: raw SQL under the runtime role that forgets
 * the company filter, writes across companies, and changes to append-only tables.
 */
export function describeDatabaseIsolation(
  name: string,
  open: () => { database: () => PostgresDatabase },
): void {
  describe(`${name}: tenant isolation in the database`, () => {
    const { database } = open()
    let companyA: TenantScope
    let companyB: TenantScope

    beforeAll(async () => {
      companyA = await seedCompany(database().stores)
      companyB = await seedCompany(database().stores)
    })

    it('raw SQL without a company filter sees only the tenant’s rows', async () => {
      for (const table of ['companies', 'agents', 'agent_versions', 'usage_events', 'audit_log']) {
        const column = table === 'companies' ? 'id' : 'company_id'
        const rows = await database().withTenant(companyA, 'raw select', async (db) => {
          const result = await sql<{
            company: string
          }>`SELECT ${sql.ref(column)} AS company FROM ${sql.table(table)}`.execute(db)
          return result.rows
        })
        expect(rows.length, table).toBeGreaterThan(0)
        expect(new Set(rows.map((row) => row.company)), table).toEqual(new Set([companyA.companyId]))
      }
    })

    it('with no tenant set, the runtime role sees nothing at all', async () => {
      const counts = await asRuntimeRoleWithoutTenant(database(), async (db) => {
        const result = await sql<{ agents: number; usage: number; companies: number }>`
          SELECT (SELECT count(*)::int FROM agents) AS agents, (SELECT count(*)::int FROM usage_events) AS usage,
                 (SELECT count(*)::int FROM companies) AS companies`.execute(db)
        return result.rows[0]
      })
      expect(counts).toEqual({ agents: 0, usage: 0, companies: 0 })
    })

    it('a tenant cannot insert a row carrying another company’s id', async () => {
      const agent = makeAgent(companyB)
      const error = await failure(
        database().withTenant(companyA, 'raw insert', (db) =>
          sql`INSERT INTO agents (company_id, id, name, kind, status, current_version, latest_version, created_at, updated_at)
              VALUES (${companyB.companyId}, ${agent.id}, 'intruder', 'chat', 'active', 1, 1, now(), now())`.execute(
            db,
          ),
        ),
      )
      expect(CoreError.hasCode(error, 'FORBIDDEN'), String(error)).toBe(true)
      expect(await database().stores.agents.get(companyB, agent.id)).toBeNull()
    })

    it('a tenant cannot update or delete another company’s rows with raw SQL', async () => {
      const changed = await database().withTenant(companyA, 'raw update', async (db) => {
        const update =
          await sql`UPDATE agents SET name = 'hijacked' WHERE company_id = ${companyB.companyId}`.execute(db)
        const remove = await sql`DELETE FROM agents WHERE company_id = ${companyB.companyId}`.execute(db)
        return Number(update.numAffectedRows) + Number(remove.numAffectedRows)
      })
      expect(changed).toBe(0)
      expect((await database().stores.agents.list(companyB)).items.map((agent) => agent.name)).not.toContain(
        'hijacked',
      )
    })

    it('usage events and audit entries cannot be updated or deleted, even of the own company', async () => {
      for (const statement of [
        sql`UPDATE usage_events SET input_tokens = 0`,
        sql`DELETE FROM usage_events`,
        sql`UPDATE audit_log SET actor = 'nobody'`,
        sql`DELETE FROM audit_log`,
      ]) {
        const error = await failure(
          database().withTenant(companyA, 'raw change', (db) => statement.execute(db)),
        )
        expect(CoreError.hasCode(error, 'FORBIDDEN'), String(error)).toBe(true)
      }
      expect((await database().stores.usage.list(companyA)).items).toHaveLength(1)
      expect((await database().stores.audit.list(companyA)).items).toHaveLength(1)
    })

    it('the append-only trigger refuses changes even from the table owner', async () => {
      const error = await failure(sql`UPDATE usage_events SET quantity = 1`.execute(database().db))
      expect(String((error as Error).message)).toContain('append-only')
      const remove = await failure(sql`DELETE FROM audit_log`.execute(database().db))
      expect(String((remove as Error).message)).toContain('append-only')
    })

    it('the runtime role owns no table and cannot bypass row-level security', async () => {
      const role = await sql<{
        rolsuper: boolean
        rolbypassrls: boolean
        rolcanlogin: boolean
        owned: number
      }>`
        SELECT rolsuper, rolbypassrls, rolcanlogin,
               (SELECT count(*)::int FROM pg_tables WHERE tableowner = ${database().role}) AS owned
        FROM pg_roles WHERE rolname = ${database().role}`.execute(database().db)
      expect(role.rows).toEqual([{ rolsuper: false, rolbypassrls: false, rolcanlogin: false, owned: 0 }])
      const unprotected = await sql<{ relname: string }>`
        SELECT relname FROM pg_class
        WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'
          AND relname NOT LIKE '%migration%' AND NOT (relrowsecurity AND relforcerowsecurity)`.execute(
        database().db,
      )
      expect(unprotected.rows).toEqual([])
    })
  })
}
