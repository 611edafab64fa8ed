import { createHash, timingSafeEqual } from 'node:crypto'
import type { Actor, CompanyId, UserId } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import { type Agentry, requirePermission } from '@agentry/core'
import type { UserTokens } from '../auth/jwt.js'
import type { ApiKeyCache } from './api-key-cache.js'
import type { RouteAccess } from './route-definition.js'

const API_KEY_PREFIX = 'agt_'
const SEND_CREDENTIALS =
  'Send Authorization: Bearer <token> with an API key (agt_...) or a user token from POST /api/v1/auth/login.'

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest()
}

/**
 * Turns the `Authorization` header into the core's `Actor` and checks the route's declared access:
 * API keys through `ApiKeyService.authenticate` (remembered for a few seconds, see `ApiKeyCache`),
 * user tokens through `UserTokens` (the user is re-read, so a disabled user's token stops working),
 * the platform admin token (constant-time compare) only on platform routes. Throws
 * `UNAUTHENTICATED` (401) or `FORBIDDEN` (403).
 */
export class Authenticator {
  readonly #agentry: Pick<Agentry, 'apiKeys' | 'users'>
  readonly #userTokens: UserTokens
  readonly #adminToken: Buffer | null
  readonly #apiKeyCache: ApiKeyCache

  constructor(
    agentry: Pick<Agentry, 'apiKeys' | 'users'>,
    userTokens: UserTokens,
    apiKeyCache: ApiKeyCache,
    adminToken?: string,
  ) {
    this.#agentry = agentry
    this.#userTokens = userTokens
    this.#apiKeyCache = apiKeyCache
    this.#adminToken = adminToken ? digest(adminToken) : null
  }

  /** The actor allowed to call a route with `access`; `null` for public routes. */
  async authorize(access: RouteAccess, authorization: string | undefined): Promise<Actor | null> {
    if (access === 'public') return null
    const token = bearerToken(authorization)
    if (access === 'platform-admin') return this.#platformAdmin(token)
    if (this.#isAdminToken(token)) {
      throw new CoreError(
        'FORBIDDEN',
        'The platform admin token only opens platform routes (companies): use an API key or a user token here.',
      )
    }
    const actor = await this.#tenantActor(token)
    if (access !== 'authenticated') requirePermission(actor, access)
    return actor
  }

  async #platformAdmin(token: string): Promise<Actor> {
    if (this.#adminToken === null) {
      throw new CoreError(
        'UNAUTHENTICATED',
        'Platform routes are disabled: set AGENTRY_ADMIN_TOKEN on the server and send it as the Bearer token.',
      )
    }
    if (this.#isAdminToken(token)) return { type: 'platform-admin' }
    // A valid tenant credential is authenticated but not allowed; anything else is unknown.
    await this.#tenantActor(token)
    throw new CoreError(
      'FORBIDDEN',
      'Only the platform admin token (AGENTRY_ADMIN_TOKEN) may manage companies; API keys and users act within their company.',
    )
  }

  #isAdminToken(token: string): boolean {
    return this.#adminToken !== null && timingSafeEqual(digest(token), this.#adminToken)
  }

  async #tenantActor(token: string): Promise<Actor> {
    if (token.startsWith(API_KEY_PREFIX)) {
      return this.#apiKeyCache.authenticate(token, (key) => this.#agentry.apiKeys.authenticate(key))
    }
    if (token.split('.').length !== 3) {
      throw new CoreError(
        'UNAUTHENTICATED',
        `The bearer token is neither an API key nor a user token. ${SEND_CREDENTIALS}`,
      )
    }
    const claims = await this.#userTokens.verify(token)
    return this.#agentry.users.actorFor(claims.companyId as CompanyId, claims.userId as UserId)
  }
}

function bearerToken(authorization: string | undefined): string {
  if (!authorization) throw new CoreError('UNAUTHENTICATED', `No credentials. ${SEND_CREDENTIALS}`)
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization)
  if (!match?.[1]) {
    throw new CoreError(
      'UNAUTHENTICATED',
      `The Authorization header is not "Bearer <token>". ${SEND_CREDENTIALS}`,
    )
  }
  return match[1]
}
