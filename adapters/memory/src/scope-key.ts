import type { SystemScope, TenantScope } from '@agentry/contracts'

/** A key inside its scope: company A's `x`, company B's `x` and the platform's `x` never meet. */
export function scopedKey(scope: TenantScope | SystemScope, key: string): string {
  return scope.type === 'tenant' ? `tenant:${scope.companyId}:${key}` : `system:${key}`
}
