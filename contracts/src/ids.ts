declare const brand: unique symbol

/** A string that the type system keeps apart from other strings of the same shape. */
export type Brand<T, B extends string> = T & { readonly [brand]: B }

export type CompanyId = Brand<string, 'CompanyId'>
export type UserId = Brand<string, 'UserId'>
export type ApiKeyId = Brand<string, 'ApiKeyId'>
export type AgentId = Brand<string, 'AgentId'>
export type SessionId = Brand<string, 'SessionId'>
export type TurnId = Brand<string, 'TurnId'>
export type MessageId = Brand<string, 'MessageId'>
export type KnowledgeBaseId = Brand<string, 'KnowledgeBaseId'>
export type DocumentId = Brand<string, 'DocumentId'>
export type ChunkId = Brand<string, 'ChunkId'>
export type ToolId = Brand<string, 'ToolId'>
export type ToolCallId = Brand<string, 'ToolCallId'>
export type SecretId = Brand<string, 'SecretId'>
export type UsageEventId = Brand<string, 'UsageEventId'>
export type PriceBookId = Brand<string, 'PriceBookId'>
export type InvoiceId = Brand<string, 'InvoiceId'>
export type QuotaId = Brand<string, 'QuotaId'>
export type AuditEntryId = Brand<string, 'AuditEntryId'>
export type JobId = Brand<string, 'JobId'>

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Every id the platform makes is a lowercase UUID (version 7, time-ordered; see docs/decisions). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value)
}
