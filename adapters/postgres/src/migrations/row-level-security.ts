/** The tenant a unit of work runs for, as the policies read it (null when none is set). */
export const CURRENT_COMPANY_SQL = "NULLIF(current_setting('app.company_id', true), '')::uuid"
/** True only inside a unit of work that took a `SystemScope`. */
export const SYSTEM_SCOPE_SQL = "current_setting('app.scope', true) = 'system'"

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/

export type TablePrivilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE'
export type PolicyCommand = 'ALL' | TablePrivilege

export interface TableSecurity {
  readonly table: string
  /** The runtime role (NOLOGIN, NOBYPASSRLS) the stores switch to. */
  readonly role: string
  /** What the runtime role may do; append-only tables get SELECT and INSERT only. */
  readonly privileges: readonly TablePrivilege[]
  /** The column holding the tenant (default `company_id`; `id` for `companies`). */
  readonly tenantColumn?: string
  /** Commands a system-scope unit of work may run across tenants (none by default). */
  readonly systemCommands?: readonly PolicyCommand[]
  /** Leave out the tenant policy (platform tables such as price books). */
  readonly isPlatformTable?: boolean
}

export function assertIdentifier(name: string, what: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new Error(`${what} "${name}" is not a plain lowercase SQL identifier`)
  }
  return name
}

/**
 * SQL that puts `table` under forced row-level security: the tenant policy sees and writes only
 * rows of `app.company_id`, optional system policies accept `app.scope = 'system'`, and the runtime
 * role gets exactly `privileges`. Sibling adapters (pgvector) use it for their own tables.
 */
export function tableSecuritySql(security: TableSecurity): string {
  const table = assertIdentifier(security.table, 'table')
  const role = assertIdentifier(security.role, 'role')
  const column = assertIdentifier(security.tenantColumn ?? 'company_id', 'tenant column')
  const statements = [
    `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`,
    `REVOKE ALL ON ${table} FROM PUBLIC`,
  ]
  if (!security.isPlatformTable) {
    const check = `${column} = ${CURRENT_COMPANY_SQL}`
    statements.push(`CREATE POLICY ${table}_tenant ON ${table} USING (${check}) WITH CHECK (${check})`)
  }
  for (const command of security.systemCommands ?? []) {
    const name = `${table}_system_${command.toLowerCase()}`
    const using = command === 'INSERT' ? '' : ` USING (${SYSTEM_SCOPE_SQL})`
    const check = command === 'SELECT' || command === 'DELETE' ? '' : ` WITH CHECK (${SYSTEM_SCOPE_SQL})`
    statements.push(`CREATE POLICY ${name} ON ${table} FOR ${command}${using}${check}`)
  }
  if (security.privileges.length > 0) {
    statements.push(`GRANT ${security.privileges.join(', ')} ON ${table} TO ${role}`)
  }
  return `${statements.join(';\n')};\n`
}

/**
 * Creates the runtime role when missing: no login, no table, cannot bypass row-level security.
 * Roles are cluster-wide, so two databases migrating at once may race: the loser's duplicate is
 * ignored. An existing role that could bypass the policies is refused.
 */
export function runtimeRoleSql(role: string): string {
  const name = assertIdentifier(role, 'role')
  return `
DO $role$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${name}') THEN
    BEGIN
      CREATE ROLE ${name} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${name}' AND (rolsuper OR rolbypassrls)) THEN
    RAISE EXCEPTION 'role ${name} can bypass row-level security: make it NOSUPERUSER NOBYPASSRLS';
  END IF;
END
$role$;
GRANT USAGE ON SCHEMA public TO ${name};
`
}
