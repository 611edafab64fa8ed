import type { Actor, CompanyId } from '@agentry/contracts'

/**
 * Who asks, passed into every service call. Tenant actors (users, API keys) act for their own
 * company; platform actors (platform admin, system) name the company they act on in `companyId`.
 */
export interface RequestContext {
  readonly actor: Actor
  /** Written into audit rows and logs so one request can be followed end to end. */
  readonly requestId?: string
  /** For platform actors only: the company acted on. Ignored when it equals a tenant actor's own. */
  readonly companyId?: CompanyId
}

/** How an actor appears in audit rows and version authorship: `user:<id>`, `api-key:<id>`, ... */
export function actorLabel(actor: Actor): string {
  switch (actor.type) {
    case 'user':
      return `user:${actor.userId}`
    case 'api-key':
      return `api-key:${actor.apiKeyId}`
    case 'platform-admin':
      return 'platform-admin'
    case 'system':
      return 'system'
  }
}
