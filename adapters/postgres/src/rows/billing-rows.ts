import type {
  AgentId,
  ApiKeyId,
  AuditEntry,
  AuditEntryId,
  CompanyId,
  Invoice,
  InvoiceId,
  InvoiceLine,
  JsonValue,
  Price,
  PriceBook,
  PriceBookId,
  Quota,
  QuotaId,
  QuotaSubject,
  SessionId,
  TurnId,
  UsageEvent,
  UsageEventId,
} from '@agentry/contracts'
import type { Insertable } from 'kysely'
import type {
  AuditLogTable,
  InvoicesTable,
  PriceBooksTable,
  QuotasTable,
  UsageEventsTable,
} from '../database-schema.js'
import { json, type Row, toDate, toNullableDate, toNumber } from './row-values.js'

export function toUsageEvent(row: Row<UsageEventsTable>): UsageEvent {
  return {
    id: row.id as UsageEventId,
    companyId: row.company_id as CompanyId,
    kind: row.kind as UsageEvent['kind'],
    occurredAt: toDate(row.occurred_at),
    billingPeriod: row.billing_period,
    agentId: row.agent_id as AgentId | null,
    sessionId: row.session_id as SessionId | null,
    turnId: row.turn_id as TurnId | null,
    apiKeyId: row.api_key_id as ApiKeyId | null,
    provider: row.provider,
    model: row.model,
    toolName: row.tool_name,
    inputTokens: toNumber(row.input_tokens),
    outputTokens: toNumber(row.output_tokens),
    cachedInputTokens: toNumber(row.cached_input_tokens),
    quantity: toNumber(row.quantity),
  }
}

export function toPriceBook(row: Row<PriceBooksTable>): PriceBook {
  return {
    id: row.id as PriceBookId,
    planId: row.plan_id,
    version: row.version,
    effectiveFrom: toDate(row.effective_from),
    currency: row.currency,
    minorUnitsPerMajor: row.minor_units_per_major,
    baseFeeMicros: toNumber(row.base_fee_micros),
    prices: row.prices as Price[],
    createdAt: toDate(row.created_at),
  }
}

export function priceBookRow(priceBook: PriceBook): Insertable<PriceBooksTable> {
  return {
    id: priceBook.id,
    plan_id: priceBook.planId,
    version: priceBook.version,
    effective_from: priceBook.effectiveFrom,
    currency: priceBook.currency,
    minor_units_per_major: priceBook.minorUnitsPerMajor,
    base_fee_micros: priceBook.baseFeeMicros,
    prices: json(priceBook.prices),
    created_at: priceBook.createdAt,
  }
}

export function toInvoice(row: Row<InvoicesTable>): Invoice {
  return {
    id: row.id as InvoiceId,
    companyId: row.company_id as CompanyId,
    period: row.period,
    currency: row.currency,
    status: row.status as Invoice['status'],
    lines: row.lines as InvoiceLine[],
    total: toNumber(row.total),
    digest: row.digest,
    priceBookId: row.price_book_id as PriceBookId,
    priceBookVersion: row.price_book_version,
    eventCount: row.event_count,
    createdAt: toDate(row.created_at),
    finalizedAt: toNullableDate(row.finalized_at),
  }
}

export function invoiceRow(invoice: Invoice): Insertable<InvoicesTable> {
  return {
    company_id: invoice.companyId,
    id: invoice.id,
    period: invoice.period,
    currency: invoice.currency,
    status: invoice.status,
    lines: json(invoice.lines),
    total: invoice.total,
    digest: invoice.digest,
    price_book_id: invoice.priceBookId,
    price_book_version: invoice.priceBookVersion,
    event_count: invoice.eventCount,
    created_at: invoice.createdAt,
    finalized_at: invoice.finalizedAt,
  }
}

/** One quota per subject and metric: the key the unique constraint is on. */
export function quotaSubjectKey(subject: QuotaSubject): string {
  if (subject.type === 'agent') return `agent:${subject.agentId}`
  if (subject.type === 'api-key') return `api-key:${subject.apiKeyId}`
  return 'company'
}

export function toQuota(row: Row<QuotasTable>): Quota {
  return {
    id: row.id as QuotaId,
    companyId: row.company_id as CompanyId,
    subject: row.subject as QuotaSubject,
    metric: row.metric as Quota['metric'],
    limit: toNumber(row.limit),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  }
}

export function quotaRow(quota: Quota): Insertable<QuotasTable> {
  return {
    company_id: quota.companyId,
    id: quota.id,
    subject_key: quotaSubjectKey(quota.subject),
    subject: json(quota.subject),
    metric: quota.metric,
    limit: quota.limit,
    created_at: quota.createdAt,
    updated_at: quota.updatedAt,
  }
}

export function toAuditEntry(row: Row<AuditLogTable>): AuditEntry {
  return {
    id: row.id as AuditEntryId,
    companyId: row.company_id as CompanyId,
    actor: row.actor,
    action: row.action,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    details: row.details as Record<string, JsonValue>,
    requestId: row.request_id,
    occurredAt: toDate(row.occurred_at),
  }
}

export function auditEntryRow(entry: AuditEntry): Insertable<AuditLogTable> {
  return {
    company_id: entry.companyId,
    id: entry.id,
    actor: entry.actor,
    action: entry.action,
    resource_type: entry.resourceType,
    resource_id: entry.resourceId,
    details: json(entry.details),
    request_id: entry.requestId,
    occurred_at: entry.occurredAt,
  }
}
