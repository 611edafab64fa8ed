import { createHash } from 'node:crypto'
import type { CompanyId, JobId } from '@agentry/contracts'

/** The UUIDv5 namespace of idempotent job ids (a random UUID fixed once for Agentry). */
const NAMESPACE = Buffer.from('6f1b2c4e8a9d4f0b9c3e5a7d1f2b4c6e', 'hex')

/**
 * The id of the job enqueued with `idempotencyKey`: a UUIDv5 of kind, company and key, so every
 * process computes the same id and BullMQ keeps one job per id. The company is part of the name so
 * two tenants using the same key never meet on one job.
 */
export function idempotentJobId(kind: string, companyId: CompanyId | null, idempotencyKey: string): JobId {
  const name = JSON.stringify([kind, companyId, idempotencyKey])
  const bytes = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest().subarray(0, 16)
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` as JobId
}
