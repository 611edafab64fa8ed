import type { JsonValue } from '../common.js'
import type { AuditEntryId, CompanyId } from '../ids.js'

/** Append-only record of who did what to which resource. Never holds secrets. */
export interface AuditEntry {
  readonly id: AuditEntryId
  readonly companyId: CompanyId
  /** `user:<id>`, `api-key:<id>`, `platform-admin`, `system`. */
  readonly actor: string
  /** `agent.create`, `agent.rollback`, `api-key.revoke`, ... */
  readonly action: string
  readonly resourceType: string
  readonly resourceId: string | null
  readonly details: Readonly<Record<string, JsonValue>>
  readonly requestId: string | null
  readonly occurredAt: Date
}
