import type {
  CallOptions,
  Clock,
  RateLimiter,
  TenantScope,
  ToolCallStore,
  ToolDefinition,
} from '@agentry/contracts'
import type { ToolAdmission } from './tool-registry.js'

const ALLOWED: ToolAdmission = { allowed: true }

/** Midnight UTC of `now`'s day. */
export function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))
}

/** The first instant of `now`'s UTC month. */
export function startOfUtcMonth(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))
}

/**
 * A company tool's call policies: budgets per UTC day and month (counted from the tool-call audit
 * trail, across the company's agents; denied calls do not count) and a rate limit per minute (a
 * token bucket through the RateLimiter port). Budgets are read before the bucket is touched, so a
 * call refused for its budget takes no token. Concurrent calls may overrun a budget by the number
 * running at the same time; the rate limit is exact.
 */
export class ToolCallPolicy {
  readonly #toolCalls: ToolCallStore
  readonly #clock: Clock
  readonly #limiter: RateLimiter | null

  constructor(toolCalls: ToolCallStore, clock: Clock, limiter: RateLimiter | null) {
    this.#toolCalls = toolCalls
    this.#clock = clock
    this.#limiter = limiter
  }

  /** True when the definition has anything to check. */
  applies(tool: ToolDefinition): boolean {
    return tool.budget.perDay !== null || tool.budget.perMonth !== null || tool.rateLimitPerMinute !== null
  }

  async admit(scope: TenantScope, tool: ToolDefinition, options?: CallOptions): Promise<ToolAdmission> {
    const now = this.#clock.now()
    const budgets = [
      { limit: tool.budget.perDay, since: startOfUtcDay(now), period: 'day', resets: 'at 00:00 UTC' },
      {
        limit: tool.budget.perMonth,
        since: startOfUtcMonth(now),
        period: 'month',
        resets: 'on the 1st, UTC',
      },
    ] as const
    for (const budget of budgets) {
      if (budget.limit === null) continue
      const used = await this.#toolCalls.countSince(scope, tool.name, budget.since, options)
      if (used >= budget.limit) {
        return {
          allowed: false,
          code: 'QUOTA_EXCEEDED',
          message: `Tool "${tool.name}" was not run: it reached its budget of ${budget.limit} calls per ${budget.period} (resets ${budget.resets}). Answer without it.`,
        }
      }
    }
    const perMinute = tool.rateLimitPerMinute
    if (perMinute === null || this.#limiter === null) return ALLOWED
    const decision = await this.#limiter.consume(
      scope,
      `tool:${tool.name}`,
      { capacity: perMinute, refillPerSecond: perMinute / 60 },
      1,
      options,
    )
    if (decision.allowed) return ALLOWED
    const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000))
    return {
      allowed: false,
      code: 'RATE_LIMITED',
      message: `Tool "${tool.name}" was not run: it is limited to ${perMinute} calls per minute; try again in ${seconds} s or answer without it.`,
    }
  }
}
