import { CoreError, zodIssues } from '@agentry/contracts'
import { z } from 'zod'
import { DEFAULT_CIRCUIT_BREAKER } from './model-circuit-breakers.js'

const breaker = DEFAULT_CIRCUIT_BREAKER

/**
 * The process-wide resilience policy of model calls (`createAgentry({ resilience })`); how often
 * to retry, how long to wait per call and which fallbacks to use are per agent (`model.*`).
 */
export const ResilienceOptionsSchema = z
  .object({
    retry: z
      .object({
        /** First backoff step; each retry doubles it (full jitter: a random wait up to the step). */
        baseDelayMs: z.number().int().min(0).max(60_000).default(500),
        /**
         * Longest wait before one retry, for backoff and retry-after alike: a provider asking for
         * longer is not retried (its `RATE_LIMITED` goes to the fallbacks, or to the caller).
         */
        maxDelayMs: z.number().int().min(0).max(600_000).default(30_000),
      })
      .strict()
      .prefault({}),
    breaker: z
      .object({
        consecutiveFailures: z.number().int().min(1).max(1000).default(breaker.consecutiveFailures),
        failureRatio: z.number().gt(0).lt(1).default(breaker.failureRatio),
        windowSize: z.number().int().min(1).max(10_000).default(breaker.windowSize),
        minimumCalls: z.number().int().min(1).max(10_000).default(breaker.minimumCalls),
        cooldownMs: z.number().int().min(1).max(3_600_000).default(breaker.cooldownMs),
      })
      .strict()
      .prefault({}),
  })
  .strict()

export type ResilienceOptions = z.output<typeof ResilienceOptionsSchema>
export type ResilienceOptionsInput = z.input<typeof ResilienceOptionsSchema>

/** Parses and defaults the options; throws `INVALID_INPUT` naming every bad field. */
export function parseResilienceOptions(input: unknown): ResilienceOptions {
  const parsed = ResilienceOptionsSchema.safeParse(input ?? {})
  if (parsed.success) return parsed.data
  const issues = zodIssues(parsed.error)
  throw new CoreError(
    'INVALID_INPUT',
    `Resilience options are invalid: ${issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ')}`,
    { details: { issues } },
  )
}
