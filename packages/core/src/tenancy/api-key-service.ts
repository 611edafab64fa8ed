import type {
  Actor,
  ApiKey,
  ApiKeyId,
  CallOptions,
  Clock,
  IdGenerator,
  Page,
  PageRequest,
  Permission,
  Stores,
  TenantScope,
} from '@agentry/contracts'
import { CoreError, PERMISSIONS, systemScope, tenantScope } from '@agentry/contracts'
import type { AuditRecorder } from '../audit/audit-recorder.js'
import { actorLabel, type RequestContext } from '../request-context.js'
import { generateApiKeyToken, hashApiKey, hashesEqual, parseApiKeyPrefix } from './api-key-token.js'
import { requirePermission, requireSubsetOfActor, scopeOf } from './permissions.js'

/** An API key as services return it: never the hash. */
export type ApiKeyView = Omit<ApiKey, 'hash'>

export interface CreateApiKeyInput {
  readonly name: string
  readonly permissions: readonly Permission[]
  /** Must be in the future; null or absent for a key that does not expire. */
  readonly expiresAt?: Date | null
}

export interface CreatedApiKey {
  readonly apiKey: ApiKeyView
  /** The whole key. Shown once: only its hash is stored. */
  readonly key: string
}

/** `lastUsedAt` is written at most this often per key, so authentication stays one read. */
export const API_KEY_TOUCH_INTERVAL_MS = 60_000
const INVALID_KEY_MESSAGE = 'API key is not valid: check the Authorization header or create a new key.'

export function toApiKeyView(key: ApiKey): ApiKeyView {
  const { hash: _hash, ...view } = key
  return view
}

/** Creates, lists, revokes and authenticates API keys (ARCHITECTURE section 6). */
export class ApiKeyService {
  readonly #stores: Pick<Stores, 'apiKeys'>
  readonly #audit: AuditRecorder
  readonly #clock: Clock
  readonly #ids: IdGenerator
  readonly #touched = new Map<string, number>()

  constructor(stores: Pick<Stores, 'apiKeys'>, audit: AuditRecorder, clock: Clock, ids: IdGenerator) {
    this.#stores = stores
    this.#audit = audit
    this.#clock = clock
    this.#ids = ids
  }

  async create(
    context: RequestContext,
    input: CreateApiKeyInput,
    options?: CallOptions,
  ): Promise<CreatedApiKey> {
    requirePermission(context.actor, 'keys:manage')
    const scope = scopeOf(context)
    const name = input.name.trim()
    const issues = validateKeyInput(name, input, this.#clock.now())
    if (issues.length > 0) {
      throw new CoreError(
        'INVALID_INPUT',
        `API key is invalid: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
        {
          details: { issues },
        },
      )
    }
    requireSubsetOfActor(context.actor, input.permissions, 'an API key')
    const created = await this.issue(
      scope,
      context,
      name,
      [...new Set(input.permissions)],
      input.expiresAt ?? null,
      options,
    )
    return created
  }

  /**
   * Makes a key without permission checks; for CompanyService's first admin key. Retries once
   * when the random prefix collides with an existing one.
   */
  async issue(
    scope: TenantScope,
    context: RequestContext,
    name: string,
    permissions: readonly Permission[],
    expiresAt: Date | null,
    options?: CallOptions,
  ): Promise<CreatedApiKey> {
    for (let attempt = 0; ; attempt += 1) {
      const token = generateApiKeyToken()
      const key: ApiKey = {
        id: this.#ids.next() as ApiKeyId,
        companyId: scope.companyId,
        name,
        prefix: token.prefix,
        hash: token.hash,
        permissions,
        expiresAt,
        revokedAt: null,
        lastUsedAt: null,
        createdBy: actorLabel(context.actor),
        createdAt: this.#clock.now(),
      }
      try {
        const stored = await this.#stores.apiKeys.create(scope, key, options)
        await this.#audit.record(
          scope,
          context,
          {
            action: 'api-key.create',
            resourceType: 'api-key',
            resourceId: stored.id,
            details: { name, prefix: stored.prefix, permissions: [...permissions] },
          },
          options,
        )
        return { apiKey: toApiKeyView(stored), key: token.key }
      } catch (error) {
        if (attempt === 0 && CoreError.hasCode(error, 'CONFLICT')) continue
        throw error
      }
    }
  }

  async get(context: RequestContext, id: ApiKeyId, options?: CallOptions): Promise<ApiKeyView> {
    requirePermission(context.actor, 'keys:manage')
    const key = await this.#stores.apiKeys.get(scopeOf(context), id, options)
    if (!key) throw notFound(id)
    return toApiKeyView(key)
  }

  async list(context: RequestContext, page?: PageRequest, options?: CallOptions): Promise<Page<ApiKeyView>> {
    requirePermission(context.actor, 'keys:manage')
    const result = await this.#stores.apiKeys.list(scopeOf(context), page, options)
    return { items: result.items.map(toApiKeyView), nextCursor: result.nextCursor }
  }

  /** Revokes a key at once; revoking again keeps the first time. */
  async revoke(context: RequestContext, id: ApiKeyId, options?: CallOptions): Promise<ApiKeyView> {
    requirePermission(context.actor, 'keys:manage')
    const scope = scopeOf(context)
    const key = await this.#stores.apiKeys.revoke(scope, id, this.#clock.now(), options)
    if (!key) throw notFound(id)
    await this.#audit.record(
      scope,
      context,
      {
        action: 'api-key.revoke',
        resourceType: 'api-key',
        resourceId: id,
        details: { prefix: key.prefix },
      },
      options,
    )
    return toApiKeyView(key)
  }

  /**
   * The actor for a presented key. One read by prefix, a constant-time hash comparison, then the
   * revocation and expiry checks. Throws `UNAUTHENTICATED`.
   */
  async authenticate(token: string, options?: CallOptions): Promise<Actor> {
    const prefix = parseApiKeyPrefix(token.trim())
    if (prefix === null) throw new CoreError('UNAUTHENTICATED', INVALID_KEY_MESSAGE)
    const key = await this.#stores.apiKeys.findByPrefix(
      systemScope('api-key authentication'),
      prefix,
      options,
    )
    const presented = hashApiKey(token.trim())
    if (!key || !hashesEqual(key.hash, presented)) throw new CoreError('UNAUTHENTICATED', INVALID_KEY_MESSAGE)
    const now = this.#clock.now()
    if (key.revokedAt !== null) {
      throw new CoreError('UNAUTHENTICATED', `API key ${key.prefix} was revoked: create a new key.`)
    }
    if (key.expiresAt !== null && key.expiresAt.getTime() <= now.getTime()) {
      throw new CoreError(
        'UNAUTHENTICATED',
        `API key ${key.prefix} expired at ${key.expiresAt.toISOString()}: create a new key.`,
      )
    }
    await this.#touch(key, now)
    return { type: 'api-key', apiKeyId: key.id, companyId: key.companyId, permissions: key.permissions }
  }

  async #touch(key: ApiKey, now: Date): Promise<void> {
    const last = Math.max(key.lastUsedAt?.getTime() ?? 0, this.#touched.get(key.id) ?? 0)
    if (now.getTime() - last < API_KEY_TOUCH_INTERVAL_MS) return
    this.#touched.set(key.id, now.getTime())
    if (this.#touched.size > 10_000) this.#touched.clear()
    try {
      await this.#stores.apiKeys.touch(tenantScope(key.companyId), key.id, now)
    } catch {
      // Best effort: a missed last-used time must not refuse a valid key.
    }
  }
}

function validateKeyInput(name: string, input: CreateApiKeyInput, now: Date) {
  const issues: { path: string; message: string }[] = []
  if (name.length === 0 || name.length > 120)
    issues.push({ path: 'name', message: 'must be 1 to 120 characters' })
  if (input.permissions.length === 0)
    issues.push({ path: 'permissions', message: 'grant at least one permission' })
  input.permissions.forEach((permission, index) => {
    if (!(PERMISSIONS as readonly string[]).includes(permission)) {
      issues.push({
        path: `permissions.${index}`,
        message: `unknown permission "${permission}" (known: ${PERMISSIONS.join(', ')})`,
      })
    }
  })
  if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) {
    issues.push({ path: 'expiresAt', message: 'must be in the future' })
  }
  return issues
}

function notFound(id: ApiKeyId): CoreError {
  return new CoreError('NOT_FOUND', `API key ${id} not found in this company.`)
}
