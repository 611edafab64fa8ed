import type {
  CallOptions,
  Clock,
  IdGenerator,
  Page,
  PageRequest,
  SecretId,
  SecretStore,
  SecretVault,
  TenantScope,
} from '@agentry/contracts'
import { CoreError, systemScope } from '@agentry/contracts'
import type { AuditRecorder } from '../audit/audit-recorder.js'
import type { RequestContext } from '../request-context.js'
import { requirePermission, requirePlatformActor, scopeOf } from '../tenancy/permissions.js'
import type { SecretReader } from '../tools/http/http-tool-runtime.js'
import { SECRET_NAME_PATTERN } from '../tools/tool-input.js'

export const MAX_SECRET_BYTES = 16 * 1024

/** What the API shows of a secret: never its value. */
export interface SecretView {
  readonly name: string
  readonly keyId: string
  readonly createdAt: Date
  readonly updatedAt: Date
}

export interface PutSecretInput {
  readonly name: string
  readonly value: string
}

export interface RotationReport {
  /** Secrets looked at. */
  readonly checked: number
  /** Re-encrypted under the current key. */
  readonly rotated: number
  /** Already under the current key. */
  readonly current: number
  /** Changed by someone else while rotating (they wrote it under the current key); left alone. */
  readonly changed: number
  /** Could not be decrypted (unknown key or damaged); the message says which. */
  readonly failed: readonly { readonly companyId: string; readonly name: string; readonly code: string }[]
  readonly keyId: string
}

/**
 * Company secrets (tool credentials, provider keys), encrypted by the SecretVault before they reach
 * the store. Write-only through the API: `put`, `list` (names, key ids, dates) and `delete`; the
 * plaintext leaves only through `reveal`, for the runtime's own use. Secrets need `tools:manage`
 * to change and `tools:view` to list.
 */
export class SecretService implements SecretReader {
  readonly #store: SecretStore
  readonly #vault: SecretVault | null
  readonly #audit: AuditRecorder
  readonly #clock: Clock
  readonly #ids: IdGenerator

  constructor(
    store: SecretStore,
    vault: SecretVault | null,
    audit: AuditRecorder,
    clock: Clock,
    ids: IdGenerator,
  ) {
    this.#store = store
    this.#vault = vault
    this.#audit = audit
    this.#clock = clock
    this.#ids = ids
  }

  /** Creates the secret or replaces its value (keeping its id and creation date). */
  async put(context: RequestContext, input: PutSecretInput, options?: CallOptions): Promise<SecretView> {
    requirePermission(context.actor, 'tools:manage')
    const scope = scopeOf(context)
    const name = typeof input.name === 'string' ? input.name : ''
    if (!SECRET_NAME_PATTERN.test(name)) {
      throw invalid('name', 'secret names are 1-64 letters, digits, _ . -')
    }
    if (typeof input.value !== 'string' || input.value.length === 0)
      throw invalid('value', 'must be a non-empty string')
    if (Buffer.byteLength(input.value, 'utf8') > MAX_SECRET_BYTES) {
      throw invalid('value', `must be at most ${MAX_SECRET_BYTES / 1024} KB`)
    }
    const value = await this.#requireVault().encrypt(input.value, { companyId: scope.companyId, name })
    const now = this.#clock.now()
    const stored = await this.#store.put(
      scope,
      {
        id: this.#ids.next() as SecretId,
        companyId: scope.companyId,
        name,
        value,
        createdAt: now,
        updatedAt: now,
      },
      options,
    )
    await this.#audit.record(
      scope,
      context,
      {
        action: 'secret.put',
        resourceType: 'secret',
        resourceId: stored.id,
        details: { name, keyId: value.keyId },
      },
      options,
    )
    return view(stored)
  }

  async list(context: RequestContext, page?: PageRequest, options?: CallOptions): Promise<Page<SecretView>> {
    requirePermission(context.actor, 'tools:view')
    const result = await this.#store.list(scopeOf(context), page, options)
    return { items: result.items.map(view), nextCursor: result.nextCursor }
  }

  async delete(context: RequestContext, name: string, options?: CallOptions): Promise<void> {
    requirePermission(context.actor, 'tools:manage')
    const scope = scopeOf(context)
    const existing = SECRET_NAME_PATTERN.test(name) ? await this.#store.getByName(scope, name, options) : null
    if (!existing || !(await this.#store.delete(scope, name, options))) {
      throw new CoreError('NOT_FOUND', `Secret "${name}" not found in this company.`)
    }
    await this.#audit.record(
      scope,
      context,
      { action: 'secret.delete', resourceType: 'secret', resourceId: existing.id, details: { name } },
      options,
    )
  }

  /**
   * The plaintext of a company's secret, for the runtime's own use (HTTP tool auth, a company's own
   * model provider key); null when the company has none of that name. Never expose it to clients.
   */
  async reveal(scope: TenantScope, name: string, options?: CallOptions): Promise<string | null> {
    const secret = await this.#store.getByName(scope, name, options)
    if (!secret) return null
    return this.#requireVault().decrypt(secret.value, { companyId: scope.companyId, name })
  }

  /**
   * Re-encrypts every company's secrets under the vault's current key (platform admin or system
   * only). Each value is swapped only if it is still the one read (compare-and-swap), so a secret
   * replaced meanwhile is never overwritten with its old value. Safe to run again; secrets that
   * cannot be decrypted are reported, not changed.
   */
  async rotate(context: RequestContext, options?: CallOptions): Promise<RotationReport> {
    requirePlatformActor(context.actor, 'rotate secrets')
    const vault = this.#requireVault()
    const scope = systemScope('secret key rotation')
    let cursor: string | null = null
    const report = {
      checked: 0,
      rotated: 0,
      current: 0,
      changed: 0,
      failed: [] as RotationReport['failed'][number][],
    }
    do {
      const page = await this.#store.listAll(scope, { limit: 200, cursor }, options)
      for (const secret of page.items) {
        report.checked += 1
        if (secret.value.keyId === vault.currentKeyId) {
          report.current += 1
          continue
        }
        const context = { companyId: secret.companyId, name: secret.name }
        let plaintext: string
        try {
          plaintext = await vault.decrypt(secret.value, context)
        } catch (error) {
          if (!CoreError.hasCode(error, 'UNAVAILABLE', 'INTERNAL')) throw error
          report.failed.push({ companyId: secret.companyId, name: secret.name, code: error.code })
          continue
        }
        const next = await vault.encrypt(plaintext, context)
        const now = this.#clock.now()
        if (await this.#store.replaceValue(scope, secret.id, secret.value, next, now, options))
          report.rotated += 1
        else report.changed += 1
      }
      cursor = page.nextCursor
    } while (cursor !== null)
    return { ...report, keyId: vault.currentKeyId }
  }

  #requireVault(): SecretVault {
    if (this.#vault) return this.#vault
    throw new CoreError(
      'UNAVAILABLE',
      'Secrets are disabled: no master key is configured (host: set AGENTRY_MASTER_KEY; embedding: pass vault to createAgentry).',
      {
        isRetryable: false,
      },
    )
  }
}

function view(secret: {
  name: string
  value: { keyId: string }
  createdAt: Date
  updatedAt: Date
}): SecretView {
  return {
    name: secret.name,
    keyId: secret.value.keyId,
    createdAt: secret.createdAt,
    updatedAt: secret.updatedAt,
  }
}

function invalid(path: string, message: string): CoreError {
  return new CoreError('INVALID_INPUT', `Secret is invalid: ${path}: ${message}`, {
    details: { issues: [{ path, message }] },
  })
}
