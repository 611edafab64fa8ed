import type { PostgresDatabase } from '@agentry/postgres'

/** The slice of the postgres adapter this one uses: units of work under row-level security. */
export type TenantDatabase = Pick<PostgresDatabase, 'withTenant' | 'withSystem'>
