import { createHash } from 'node:crypto'
import type { CompanyId, PriceBook } from '@agentry/contracts'

/**
 * The digest an invoice stores: hex SHA-256 over a versioned header, the company, the period, the
 * price book id and version, and the usage digest of the period (SHA-256 over the period's events
 * sorted by id with their quantities, `usageDigestLine`, computed by the store). Recomputing it
 * from the same events and book gives the same value; any other event set or book does not.
 */
export function invoiceDigest(input: {
  readonly companyId: CompanyId
  readonly period: string
  readonly priceBook: Pick<PriceBook, 'id' | 'version'>
  readonly usageDigest: string
}): string {
  return createHash('sha256')
    .update(
      [
        'agentry-invoice-v1',
        input.companyId,
        input.period,
        input.priceBook.id,
        String(input.priceBook.version),
        input.usageDigest,
      ].join('\n'),
      'utf8',
    )
    .digest('hex')
}
