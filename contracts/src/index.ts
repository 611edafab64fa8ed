export type { CallOptions, Closeable, JsonSchema, JsonValue, Page, PageRequest } from './common.js'
export { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from './common.js'
export type { AgentConfig, AgentConfigInput } from './config/agent-config.js'
export { AgentConfigSchema, agentConfigJsonSchema, parseAgentConfig } from './config/agent-config.js'
export type { FieldIssue } from './config/zod-issues.js'
export { zodIssues } from './config/zod-issues.js'
export type { Agent, AgentKind, AgentVersion } from './domain/agent.js'
export { AGENT_KINDS } from './domain/agent.js'
export type { AuditEntry } from './domain/audit.js'
export type {
  Invoice,
  InvoiceLine,
  Meter,
  Price,
  PriceBook,
  Quota,
  QuotaSubject,
  QuotaWarning,
} from './domain/billing.js'
export { billingPeriodOf, isBillingPeriod, METERS, nextBillingPeriod, periodRange } from './domain/billing.js'
export type {
  Citation,
  Message,
  MessageRole,
  Session,
  ToolCallPart,
  ToolCallStatus,
  ToolCallSummary,
  Turn,
  TurnOutcome,
  TurnResult,
  UsageSummary,
} from './domain/conversation.js'
export { MESSAGE_ROLES, TOOL_CALL_STATUSES } from './domain/conversation.js'
export type { Job, JobStatus } from './domain/job.js'
export { JOB_STATUSES } from './domain/job.js'
export type {
  Chunk,
  DocumentSource,
  DocumentStatus,
  KnowledgeBase,
  KnowledgeDocument,
} from './domain/knowledge.js'
export { DOCUMENT_STATUSES } from './domain/knowledge.js'
export type { EncryptedValue, Secret } from './domain/secret.js'
export type { Actor, ApiKey, Company, Permission, Role, User } from './domain/tenancy.js'
export { PERMISSIONS, ROLE_PERMISSIONS, ROLES } from './domain/tenancy.js'
export type { HttpToolAuth, HttpToolConfig, ToolCallRecord, ToolDefinition, ToolKind } from './domain/tool.js'
export { TOOL_KINDS, TOOL_NAME_PATTERN } from './domain/tool.js'
export type { ModelReference, TurnEvent, TurnEventType } from './domain/turn-event.js'
export type { NewUsageEvent, UsageEvent, UsageKind } from './domain/usage.js'
export { USAGE_KINDS, usageDigestLine } from './domain/usage.js'
export type { CoreErrorOptions, ErrorCode } from './errors/core-error.js'
export { CoreError, ERROR_CODES, isErrorCode } from './errors/core-error.js'
export type {
  AgentId,
  ApiKeyId,
  AuditEntryId,
  Brand,
  ChunkId,
  CompanyId,
  DocumentId,
  InvoiceId,
  JobId,
  KnowledgeBaseId,
  MessageId,
  PriceBookId,
  QuotaId,
  SecretId,
  SessionId,
  ToolCallId,
  ToolId,
  TurnId,
  UsageEventId,
  UserId,
} from './ids.js'
export { isUuid } from './ids.js'
export { createUuidV7Generator, systemClock } from './ids-uuid-v7.js'
export type {
  Channel,
  ChannelEvent,
  InboundHttpRequest,
  InboundMessage,
  OutboundMessage,
} from './ports/channel.js'
export type {
  ChatMessage,
  ChatModel,
  ChatModelResolver,
  ChatRequest,
  ChatResponse,
  ChatStreamPart,
  ContextPassage,
  FinishReason,
  TokenUsage,
  ToolCallRequest,
  ToolSpec,
} from './ports/chat-model.js'
export type { Clock } from './ports/clock.js'
export type {
  DocumentExtractor,
  ExtractedDocument,
  ExtractedHeading,
} from './ports/document-extractor.js'
export type { EmbeddingModel, EmbeddingResult, EmbedOptions } from './ports/embedding-model.js'
export type { HttpClient, HttpRequest, HttpResponse } from './ports/http-client.js'
export type { IdGenerator } from './ports/id-generator.js'
export type {
  EnqueueOptions,
  JobContext,
  JobHandler,
  JobQueue,
  NewJob,
  ProcessOptions,
  QueueDepth,
  Worker,
} from './ports/job-queue.js'
export type { KeywordEntry, KeywordHit, KeywordIndex, KeywordQuery } from './ports/keyword-index.js'
export type { AcquireOptions, Lock, LockLease } from './ports/lock.js'
export type { PasswordHasher } from './ports/password-hasher.js'
export type { RateLimitDecision, RateLimiter, TokenBucket } from './ports/rate-limiter.js'
export type { SecretContext, SecretVault } from './ports/secret-vault.js'
export type { AudioClip, SpeechToText, TextToSpeech } from './ports/speech.js'
export type { AgentPatch, AgentStore } from './ports/stores/agent-store.js'
export type { ApiKeyStore } from './ports/stores/api-key-store.js'
export type { AuditFilter, AuditLogStore } from './ports/stores/audit-log-store.js'
export type { InvoiceStore, PriceBookStore, QuotaStore } from './ports/stores/billing-stores.js'
export type { ChunkStore } from './ports/stores/chunk-store.js'
export type { CompanyStore } from './ports/stores/company-store.js'
export type { DocumentStatusUpdate, DocumentStore } from './ports/stores/document-store.js'
export type { KnowledgeBasePatch, KnowledgeBaseStore } from './ports/stores/knowledge-base-store.js'
export type { SecretStore } from './ports/stores/secret-store.js'
export type { SessionFilter, SessionStore } from './ports/stores/session-store.js'
export type { Stores } from './ports/stores/stores.js'
export type { ToolCallFilter, ToolCallStore } from './ports/stores/tool-call-store.js'
export type { ToolPatch, ToolStore } from './ports/stores/tool-store.js'
export type { TurnCommit, TurnContext, TurnLoadRequest, TurnStore } from './ports/stores/turn-store.js'
export type {
  UsageFilter,
  UsageGroupKey,
  UsagePeriodTotals,
  UsageStore,
  UsageSummaryRow,
} from './ports/stores/usage-store.js'
export { USAGE_GROUP_KEYS } from './ports/stores/usage-store.js'
export type { UserPatch, UserStore } from './ports/stores/user-store.js'
export type { LogFields, Logger, MetricLabels, Metrics, Span, Telemetry, Tracer } from './ports/telemetry.js'
export { noopTelemetry } from './ports/telemetry.js'
export type { Tokenizer } from './ports/tokenizer.js'
export type {
  BuiltinTool,
  ToolContext,
  ToolInvocation,
  ToolOutput,
  ToolRuntime,
} from './ports/tool-runtime.js'
export type { VectorFilter, VectorHit, VectorPoint, VectorQuery, VectorStore } from './ports/vector-store.js'
export type { SystemScope, TenantScope } from './scope.js'
export { systemScope, tenantScope } from './scope.js'
