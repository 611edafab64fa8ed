import { CoreError, type SystemScope, type TenantScope } from '@agentry/contracts'

/**
 * The part of a key that names its scope: `t:<companyId>` for a tenant, `s` for system work. Keys
 * of one company can never collide with another's, nor with system keys.
 */
export function scopeSegment(scope: TenantScope | SystemScope): string {
  if (scope.type === 'tenant') {
    if (typeof scope.companyId !== 'string' || scope.companyId.length === 0) {
      throw new CoreError(
        'INVALID_INPUT',
        'A tenant scope needs a companyId: build it with tenantScope(companyId)',
      )
    }
    return `t:${scope.companyId}`
  }
  if (scope.type === 'system') return 's'
  throw new CoreError('INVALID_INPUT', 'scope must be a tenant or a system scope (tenantScope / systemScope)')
}

/** A caller-chosen key: any non-empty string up to 1,024 characters. */
export function checkKey(key: string, what: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > 1_024) {
    throw new CoreError('INVALID_INPUT', `${what} must be a string of 1 to 1024 characters`)
  }
}
