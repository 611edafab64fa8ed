import type { JobQueue, RateLimiter, Stores } from '@agentry/contracts'
import type { Agentry, KnowledgeService } from '@agentry/core'
import type { UserTokens } from '../auth/jwt.js'
import type { Config } from '../config/load-config.js'
import { AuditQueries } from '../services/audit-queries.js'
import { SessionQueries } from '../services/session-queries.js'
import { ApiKeyCache } from './api-key-cache.js'
import { InFlightTurns } from './in-flight-turns.js'

/**
 * What `buildApp` needs; a `Composition` from `compose()` is one. Areas that bring their own
 * services (knowledge, tools, billing) add them here and in `compose`.
 */
export interface AppDependencies {
  readonly config: Pick<Config, 'adminToken' | 'bodyLimitBytes' | 'rateLimits' | 'logLevel' | 'observability'>
  readonly agentry: Agentry
  readonly stores: Stores
  readonly queue: JobQueue
  readonly rateLimiter: RateLimiter
  readonly userTokens: UserTokens
  /** Knowledge bases and documents (the composition's `knowledge`). */
  readonly knowledge: { readonly service: KnowledgeService }
  /** Shared with the server so shutdown can drain running turns; a fresh one when absent. */
  readonly turns?: InFlightTurns
}

/** How long an authenticated API key is remembered (see `ApiKeyCache`). */
export const API_KEY_CACHE_MS = 5000

/** What route handlers receive: the dependencies plus the host's read-side queries. */
export interface HostServices extends AppDependencies {
  readonly sessions: SessionQueries
  readonly auditLog: AuditQueries
  readonly turns: InFlightTurns
  /** Authenticated API keys, remembered briefly; revoking forgets the key here. */
  readonly apiKeyCache: ApiKeyCache
}

export function createHostServices(dependencies: AppDependencies): HostServices {
  return {
    ...dependencies,
    sessions: new SessionQueries(dependencies.stores),
    auditLog: new AuditQueries(dependencies.stores),
    turns: dependencies.turns ?? new InFlightTurns(),
    apiKeyCache: new ApiKeyCache(API_KEY_CACHE_MS),
  }
}
