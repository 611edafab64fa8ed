import type { Actor, Permission, TenantScope } from '@agentry/contracts'
import { CoreError, PERMISSIONS, tenantScope } from '@agentry/contracts'
import type { RequestContext } from '../request-context.js'

const ALL_PERMISSIONS: ReadonlySet<Permission> = new Set(PERMISSIONS)

/** True for actors that act across companies: the platform admin and internal system work. */
export function isPlatformActor(actor: Actor): boolean {
  return actor.type === 'platform-admin' || actor.type === 'system'
}

/** Every permission the actor holds. Platform actors hold all of them. */
export function permissionsOf(actor: Actor): ReadonlySet<Permission> {
  if (isPlatformActor(actor)) return ALL_PERMISSIONS
  return new Set((actor as { readonly permissions: readonly Permission[] }).permissions)
}

export function hasPermission(actor: Actor, permission: Permission): boolean {
  return permissionsOf(actor).has(permission)
}

/** Throws CoreError `FORBIDDEN` naming the missing permission. */
export function requirePermission(actor: Actor, permission: Permission): void {
  if (hasPermission(actor, permission)) return
  const who = actor.type === 'user' ? `a user with role ${actor.role}` : 'this API key'
  throw new CoreError(
    'FORBIDDEN',
    `Missing permission "${permission}": ${who} may not do this. Ask an admin for a role or key that grants it.`,
    { details: { permission } },
  )
}

/** Throws CoreError `FORBIDDEN` unless the actor is the platform admin or the system. */
export function requirePlatformActor(actor: Actor, action: string): void {
  if (isPlatformActor(actor)) return
  throw new CoreError('FORBIDDEN', `Only the platform admin may ${action}.`)
}

/**
 * The tenant scope a request works in: a tenant actor's own company; for platform actors the
 * `companyId` of the context (required). A tenant actor naming another company gets `FORBIDDEN`.
 */
export function scopeOf(context: RequestContext): TenantScope {
  const { actor, companyId } = context
  if (actor.type === 'user' || actor.type === 'api-key') {
    if (companyId !== undefined && companyId !== actor.companyId) {
      throw new CoreError('FORBIDDEN', 'This actor belongs to another company and cannot act on this one.')
    }
    return tenantScope(actor.companyId)
  }
  if (companyId === undefined) {
    throw new CoreError(
      'INVALID_INPUT',
      `A ${actor.type} actor must name the company it acts on: set companyId on the request context.`,
      { details: { issues: [{ path: 'companyId', message: 'required for platform actors' }] } },
    )
  }
  return tenantScope(companyId)
}

/**
 * Throws CoreError `FORBIDDEN` naming the permissions in `requested` that the actor lacks: nobody
 * grants (to a key or a user) more than they hold themselves.
 */
export function requireSubsetOfActor(actor: Actor, requested: readonly Permission[], what: string): void {
  const held = permissionsOf(actor)
  const missing = requested.filter((permission) => !held.has(permission))
  if (missing.length === 0) return
  throw new CoreError(
    'FORBIDDEN',
    `Cannot grant ${what} permissions you do not hold yourself: ${missing.join(', ')}.`,
    { details: { missing } },
  )
}
