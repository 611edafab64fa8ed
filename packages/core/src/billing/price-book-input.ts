import type { FieldIssue, Meter, Price } from '@agentry/contracts'
import { billingPeriodOf, CoreError, METERS, periodRange, zodIssues } from '@agentry/contracts'
import { z } from 'zod'
import { MODEL_PATTERN } from './model-pattern.js'

/** Meters priced per model; the others take the pattern `*` only. */
export const MODEL_METERS: ReadonlySet<Meter> = new Set([
  'llm.input_tokens',
  'llm.output_tokens',
  'llm.cached_input_tokens',
  'embedding.tokens',
  'audio.seconds',
])

const money = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)

const PriceSchema = z
  .object({
    meter: z.enum(METERS),
    modelPattern: z
      .string()
      .regex(MODEL_PATTERN, 'use model-id characters and the wildcards * and ?')
      .default('*'),
    unitPriceMicros: money,
    per: z.number().int().min(1).max(1_000_000_000).default(1),
    includedQuantity: money.default(0),
  })
  .strict()

const PriceBookInputSchema = z
  .object({
    planId: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'use 1 to 63 lowercase letters, digits, - and _'),
    effectiveFrom: z.coerce.date(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD'),
    minorUnitsPerMajor: z.union([z.literal(1), z.literal(10), z.literal(100), z.literal(1000)]).default(100),
    baseFeeMicros: money.default(0),
    prices: z.array(PriceSchema).max(500),
  })
  .strict()

/** A new price book version; `version` is the plan's next number, assigned by the service. */
export type CreatePriceBookInput = z.input<typeof PriceBookInputSchema>

export interface PriceBookDraft {
  readonly planId: string
  readonly effectiveFrom: Date
  readonly currency: string
  readonly minorUnitsPerMajor: number
  readonly baseFeeMicros: number
  readonly prices: readonly Price[]
}

/**
 * Checks a new version: integer prices, known meters, valid globs (`*` for meters without a
 * model), one price per meter and pattern, and `effectiveFrom` the start of a UTC month not before
 * `earliest` (the current month's start, so no past period is repriced). Throws `INVALID_INPUT` naming every problem.
 */
export function parsePriceBookInput(input: unknown, earliest: Date): PriceBookDraft {
  const parsed = PriceBookInputSchema.safeParse(input)
  if (!parsed.success) throw invalid(zodIssues(parsed.error))
  const book = parsed.data
  const issues: FieldIssue[] = []
  if (Number.isNaN(book.effectiveFrom.getTime())) {
    issues.push({ path: 'effectiveFrom', message: 'must be a date' })
  } else if (book.effectiveFrom < earliest) {
    issues.push({
      path: 'effectiveFrom',
      message: `must be ${earliest.toISOString()} or later: past periods keep the prices they were drafted with`,
    })
  } else if (
    periodRange(billingPeriodOf(book.effectiveFrom)).start.getTime() !== book.effectiveFrom.getTime()
  ) {
    issues.push({
      path: 'effectiveFrom',
      message:
        'must be the start of a UTC month (e.g. 2026-12-01T00:00:00Z): a period is priced by the version in force at its start',
    })
  }
  const seen = new Set<string>()
  book.prices.forEach((price, index) => {
    if (!MODEL_METERS.has(price.meter) && price.modelPattern !== '*') {
      issues.push({ path: `prices.${index}.modelPattern`, message: `${price.meter} takes the pattern *` })
    }
    const key = `${price.meter} ${price.modelPattern}`
    if (seen.has(key)) {
      issues.push({
        path: `prices.${index}`,
        message: `${price.meter} for ${price.modelPattern} is listed twice`,
      })
    }
    seen.add(key)
  })
  if (issues.length > 0) throw invalid(issues)
  return book
}

function invalid(issues: readonly FieldIssue[]): CoreError {
  return new CoreError(
    'INVALID_INPUT',
    `Price book is invalid: ${issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ')}`,
    { details: { issues } },
  )
}
