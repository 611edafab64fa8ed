import { createHash } from 'node:crypto'
import type { Actor } from '@agentry/contracts'

const MAX_ENTRIES = 10_000

interface Entry {
  readonly actor: Actor & { readonly type: 'api-key' }
  readonly expiresAt: number
}

/**
 * Remembers authenticated API keys for a few seconds, so a busy key costs one database read per
 * `ttlMs` instead of one per request. Keyed by the SHA-256 of the presented key (the key itself is
 * not kept). Revoking a key through this process forgets it at once; other processes notice within
 * `ttlMs`, as does a key that expires. `ttlMs` 0 turns the cache off.
 */
export class ApiKeyCache {
  readonly #ttlMs: number
  readonly #now: () => number
  readonly #entries = new Map<string, Entry>()

  constructor(ttlMs: number, now: () => number = Date.now) {
    this.#ttlMs = ttlMs
    this.#now = now
  }

  async authenticate(token: string, authenticate: (token: string) => Promise<Actor>): Promise<Actor> {
    if (this.#ttlMs === 0) return authenticate(token)
    const digest = createHash('sha256').update(token).digest('base64url')
    const cached = this.#entries.get(digest)
    if (cached && cached.expiresAt > this.#now()) return cached.actor
    const actor = await authenticate(token)
    if (actor.type === 'api-key') {
      if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear()
      this.#entries.set(digest, { actor, expiresAt: this.#now() + this.#ttlMs })
    }
    return actor
  }

  /** Drops every cached authentication of the key (after a revocation). */
  forget(apiKeyId: string): void {
    for (const [digest, entry] of this.#entries) {
      if (entry.actor.apiKeyId === apiKeyId) this.#entries.delete(digest)
    }
  }
}
