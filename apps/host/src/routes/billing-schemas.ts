import type { Invoice, PriceBook, Quota } from '@agentry/contracts'
import { METERS } from '@agentry/contracts'
import type { InvoiceVerification, QuotaStatus } from '@agentry/core'
import { z } from 'zod'
import { Id, iso, isoOrNull, Timestamp } from '../http/api-schemas.js'

const Integer = z.number().int()
const Money = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)

export const PriceSchema = z
  .object({
    meter: z.enum(METERS),
    modelPattern: z.string().describe('Glob over the model id (`*`, `?`); the most specific match wins.'),
    unitPriceMicros: Integer.describe('Micro-units of the currency per `per` units (1 USD = 1,000,000).'),
    per: Integer,
    includedQuantity: Integer.describe('Units included each month before this price applies.'),
  })
  .meta({ id: 'Price' })

export const PriceBookSchema = z
  .object({
    id: z.string(),
    planId: z.string(),
    version: Integer,
    effectiveFrom: Timestamp,
    currency: z.string(),
    minorUnitsPerMajor: Integer,
    baseFeeMicros: Integer,
    prices: z.array(PriceSchema),
    createdAt: Timestamp,
  })
  .meta({ id: 'PriceBook' })

/** Structure only: the core checks the rules (integers, globs, month starts) and names every problem. */
export const CreatePriceBookBody = z
  .object({
    planId: z.string().min(1).max(63),
    effectiveFrom: z.iso.datetime({ offset: true }).describe('The start of a UTC month, this one or later.'),
    currency: z.string().min(1).max(3),
    minorUnitsPerMajor: z
      .union([z.literal(1), z.literal(10), z.literal(100), z.literal(1000)])
      .optional()
      .describe('Minor units per major unit: 100 (cents) when absent.'),
    baseFeeMicros: Money.optional(),
    prices: z
      .array(
        z
          .object({
            meter: z.enum(METERS),
            modelPattern: z.string().max(120).optional(),
            unitPriceMicros: z.number(),
            per: z.number().optional(),
            includedQuantity: z.number().optional(),
          })
          .strict(),
      )
      .max(500),
  })
  .strict()

export const InvoiceLineSchema = z
  .object({
    meter: z.enum([...METERS, 'base_fee']),
    model: z.string().nullable(),
    description: z.string(),
    quantity: Integer,
    includedQuantity: Integer,
    billableQuantity: Integer,
    unitPriceMicros: Integer,
    per: Integer,
    amount: Integer.describe('Minor units (cents), rounded half to even per line.'),
  })
  .meta({ id: 'InvoiceLine' })

export const InvoiceSchema = z
  .object({
    id: z.string(),
    period: z.string().describe('A UTC month, YYYY-MM.'),
    currency: z.string(),
    status: z.enum(['draft', 'final']),
    lines: z.array(InvoiceLineSchema),
    total: Integer.describe('Minor units: the sum of the line amounts.'),
    digest: z.string().describe('SHA-256 of the events and the price book version it was computed from.'),
    priceBookId: z.string(),
    priceBookVersion: Integer,
    eventCount: Integer,
    createdAt: Timestamp,
    finalizedAt: Timestamp.nullable(),
  })
  .meta({ id: 'Invoice' })

const FiguresSchema = z.object({
  digest: z.string(),
  total: Integer,
  eventCount: Integer,
  priceBookId: z.string(),
  priceBookVersion: Integer,
})

export const InvoiceVerificationSchema = z
  .object({
    invoiceId: z.string(),
    period: z.string(),
    status: z.enum(['draft', 'final']),
    matches: z.boolean(),
    stored: FiguresSchema,
    recomputed: FiguresSchema,
    differences: z.array(z.string()),
  })
  .meta({ id: 'InvoiceVerification' })

export const QuotaSubjectSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('company') }).strict(),
  z.object({ type: z.literal('agent'), agentId: Id }).strict(),
  z.object({ type: z.literal('api-key'), apiKeyId: Id }).strict(),
])

export const QuotaSchema = z
  .object({
    id: z.string(),
    subject: QuotaSubjectSchema,
    metric: z.enum(['tokens', 'spend']),
    limit: Integer,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Quota' })

export const QuotaStatusSchema = QuotaSchema.extend({
  period: z.string(),
  used: Integer.describe('Tokens, or micro-units for spend, used this period.'),
}).meta({ id: 'QuotaStatus' })

export const PutQuotaBody = z
  .object({
    subject: QuotaSubjectSchema,
    metric: z.enum(['tokens', 'spend']),
    limit: Money.describe('Tokens, or micro-units of the plan currency for spend.'),
  })
  .strict()

export function priceBookToWire(book: PriceBook): z.input<typeof PriceBookSchema> {
  return {
    ...book,
    prices: book.prices.map((price) => ({ ...price })),
    effectiveFrom: iso(book.effectiveFrom),
    createdAt: iso(book.createdAt),
  }
}

export function invoiceToWire(invoice: Invoice): z.input<typeof InvoiceSchema> {
  const { companyId: _companyId, createdAt, finalizedAt, lines, ...rest } = invoice
  return {
    ...rest,
    lines: lines.map((line) => ({ ...line })),
    createdAt: iso(createdAt),
    finalizedAt: isoOrNull(finalizedAt),
  }
}

export function verificationToWire(
  verification: InvoiceVerification,
): z.input<typeof InvoiceVerificationSchema> {
  return { ...verification, differences: [...verification.differences] }
}

export function quotaToWire(
  quota: Quota | QuotaStatus,
): z.input<typeof QuotaStatusSchema> | z.input<typeof QuotaSchema> {
  const { companyId: _companyId, createdAt, updatedAt, subject, ...rest } = quota
  return { ...rest, subject: { ...subject }, createdAt: iso(createdAt), updatedAt: iso(updatedAt) }
}
