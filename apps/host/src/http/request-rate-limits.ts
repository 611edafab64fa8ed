import type { Actor, RateLimiter, TokenBucket } from '@agentry/contracts'
import { CoreError, systemScope, tenantScope } from '@agentry/contracts'

export interface RequestRateLimitSettings {
  readonly perKeyPerMinute: number
  readonly perCompanyPerMinute: number
}

function bucket(perMinute: number): TokenBucket {
  return { capacity: perMinute, refillPerSecond: perMinute / 60 }
}

/**
 * Request budgets through the RateLimiter port: one token bucket per credential (API key, or user
 * for user tokens) and one per company, both refilled per minute. A refused request is
 * `RATE_LIMITED` with the wait, which the error reply turns into `Retry-After`.
 */
export class RequestRateLimits {
  readonly #limiter: RateLimiter
  readonly #perCredential: TokenBucket
  readonly #perCompany: TokenBucket

  constructor(limiter: RateLimiter, settings: RequestRateLimitSettings) {
    this.#limiter = limiter
    this.#perCredential = bucket(settings.perKeyPerMinute)
    this.#perCompany = bucket(settings.perCompanyPerMinute)
  }

  /** Takes one request from the actor's buckets; platform actors are not limited. */
  async consume(actor: Actor): Promise<void> {
    if (actor.type !== 'api-key' && actor.type !== 'user') return
    const scope = tenantScope(actor.companyId)
    const credential =
      actor.type === 'api-key' ? `http:api-key:${actor.apiKeyId}` : `http:user:${actor.userId}`
    const own = await this.#limiter.consume(scope, credential, this.#perCredential)
    if (!own.allowed) throw limited(actor.type === 'api-key' ? 'this API key' : 'this user', own.retryAfterMs)
    const company = await this.#limiter.consume(scope, 'http:company', this.#perCompany)
    if (!company.allowed) throw limited('your company', company.retryAfterMs)
  }

  /**
   * Takes one request from the client address's bucket (the per-key budget), for public API routes
   * such as login, so passwords cannot be guessed at full speed.
   */
  async consumeAnonymous(clientAddress: string): Promise<void> {
    const decision = await this.#limiter.consume(
      ANONYMOUS_SCOPE,
      `http:ip:${clientAddress}`,
      this.#perCredential,
    )
    if (!decision.allowed) throw limited('your address', decision.retryAfterMs)
  }
}

const ANONYMOUS_SCOPE = systemScope('requests without credentials')

function limited(who: string, retryAfterMs: number): CoreError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000))
  return new CoreError('RATE_LIMITED', `Too many requests for ${who}: retry in ${seconds} s.`, {
    retryAfterMs,
    details: { retryAfterSeconds: seconds },
  })
}
