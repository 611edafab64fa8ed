import type {
  AuditEntryId,
  AuditLogStore,
  CallOptions,
  Clock,
  IdGenerator,
  JsonValue,
  TenantScope,
} from '@agentry/contracts'
import { actorLabel, type RequestContext } from '../request-context.js'

export interface AuditRecord {
  /** `agent.create`, `api-key.revoke`, ... (resource, dot, verb). */
  readonly action: string
  readonly resourceType: string
  readonly resourceId: string | null
  /** Client-safe facts about the change; never secrets. */
  readonly details?: Readonly<Record<string, JsonValue>>
}

/** Writes one audit row per state change, with the actor and the request id of the context. */
export class AuditRecorder {
  readonly #store: AuditLogStore
  readonly #clock: Clock
  readonly #ids: IdGenerator

  constructor(store: AuditLogStore, clock: Clock, ids: IdGenerator) {
    this.#store = store
    this.#clock = clock
    this.#ids = ids
  }

  async record(
    scope: TenantScope,
    context: RequestContext,
    record: AuditRecord,
    options?: CallOptions,
  ): Promise<void> {
    await this.#store.append(
      scope,
      {
        id: this.#ids.next() as AuditEntryId,
        companyId: scope.companyId,
        actor: actorLabel(context.actor),
        action: record.action,
        resourceType: record.resourceType,
        resourceId: record.resourceId,
        details: record.details ?? {},
        requestId: context.requestId ?? null,
        occurredAt: this.#clock.now(),
      },
      options,
    )
  }
}
