import { type Kysely, sql } from 'kysely'
import { runtimeRoleSql, type TableSecurity, tableSecuritySql } from './row-level-security.js'

const READ_WRITE = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] as const
const APPEND_ONLY = ['SELECT', 'INSERT'] as const

/** Each table with what the runtime role may do on it and what system-scope work may reach. */
function tables(role: string): readonly TableSecurity[] {
  const tenant = (table: string, extra: Partial<TableSecurity> = {}): TableSecurity => ({
    table,
    role,
    privileges: READ_WRITE,
    ...extra,
  })
  return [
    tenant('companies', {
      tenantColumn: 'id',
      privileges: ['SELECT', 'INSERT', 'UPDATE'],
      systemCommands: ['SELECT', 'INSERT'],
    }),
    tenant('users', { systemCommands: ['SELECT'] }),
    tenant('api_keys', { systemCommands: ['SELECT'] }),
    tenant('agents'),
    tenant('agent_versions'),
    tenant('sessions'),
    tenant('turns'),
    tenant('messages'),
    tenant('knowledge_bases'),
    tenant('documents'),
    tenant('chunks'),
    tenant('tools'),
    tenant('tool_calls', { privileges: APPEND_ONLY }),
    tenant('secrets', { systemCommands: ['SELECT', 'UPDATE'] }),
    tenant('usage_events', { privileges: APPEND_ONLY, systemCommands: ['SELECT'] }),
    tenant('audit_log', { privileges: APPEND_ONLY }),
    tenant('invoices'),
    tenant('quotas'),
    tenant('price_books', {
      isPlatformTable: true,
      privileges: ['SELECT', 'INSERT'],
      systemCommands: ['ALL'],
    }),
  ]
}

/**
 * The runtime role and forced row-level security on every table. The role owns nothing, cannot
 * bypass the policies, and may not UPDATE or DELETE usage events, audit entries or tool calls.
 */
export function rowLevelSecurityMigration(role: string) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const script = runtimeRoleSql(role) + tables(role).map(tableSecuritySql).join('')
      await sql.raw(script).execute(db)
    },
  }
}
