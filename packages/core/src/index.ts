export type { ProviderOptionsValidator } from './agents/agent-config-validator.js'
export { AgentConfigValidator } from './agents/agent-config-validator.js'
export type { AgentWithVersion, CreateAgentInput, UpdateAgentConfigInput } from './agents/agent-service.js'
export { AgentService } from './agents/agent-service.js'
export type { AuditRecord } from './audit/audit-recorder.js'
export { AuditRecorder } from './audit/audit-recorder.js'
export type { Billing } from './billing/create-billing.js'
export { createBilling } from './billing/create-billing.js'
export {
  DEFAULT_PLAN_ID,
  DEFAULT_PRICE_BOOK_ID,
  DEFAULT_PRICES,
  defaultPriceBook,
} from './billing/default-price-book.js'
export type { InvoiceCalculation, MeterQuantity } from './billing/invoice-calculator.js'
export {
  calculateInvoice,
  listPriceMicros,
  METER_UNIT_SCALE,
  meterQuantities,
} from './billing/invoice-calculator.js'
export { invoiceDigest } from './billing/invoice-digest.js'
export type { DraftOutcome, InvoiceFigures, InvoiceVerification } from './billing/invoice-service.js'
export { InvoiceService } from './billing/invoice-service.js'
export { findPrice, matchesModelPattern } from './billing/model-pattern.js'
export { divideCeil, divideRoundHalfEven, formatMicros, MICROS_PER_MAJOR } from './billing/money.js'
export {
  INVOICE_DRAFT_JOB,
  MONTHLY_BILLING_JOB,
  MonthlyBilling,
  previousBillingPeriod,
} from './billing/monthly-billing.js'
export type { CreatePriceBookInput, PriceBookDraft } from './billing/price-book-input.js'
export { PriceBookService } from './billing/price-book-service.js'
export { QuotaGuard } from './billing/quota-guard.js'
export type { SubjectUsage } from './billing/quota-meter.js'
export { QuotaMeter } from './billing/quota-meter.js'
export type { PutQuotaInput, QuotaStatus } from './billing/quota-service.js'
export { QuotaService } from './billing/quota-service.js'
export type { Agentry, AgentryDependencies } from './create-agentry.js'
export { createAgentry } from './create-agentry.js'
export type { JobView } from './jobs/job-service.js'
export { JobService } from './jobs/job-service.js'
export type { SchemaCheck } from './json-schema/json-schema-validator.js'
export { JsonSchemaValidator } from './json-schema/json-schema-validator.js'
export type { ChunkDraft, ChunkingOptions } from './knowledge/chunk-document.js'
export { chunkDocument } from './knowledge/chunk-document.js'
export type { Knowledge, KnowledgeDependencies } from './knowledge/create-knowledge.js'
export { createKnowledge } from './knowledge/create-knowledge.js'
export type {
  DocumentIndexerDependencies,
  DocumentIndexerOptions,
  IndexJobPayload,
} from './knowledge/document-indexer.js'
export { DocumentIndexer, KB_INDEX_JOB } from './knowledge/document-indexer.js'
export type { DocumentInput } from './knowledge/document-intake.js'
export type {
  HybridRetrieverDependencies,
  HybridRetrieverOptions,
  SearchHit,
  SearchRequest,
  SearchResult,
} from './knowledge/hybrid-retriever.js'
export { HybridRetriever } from './knowledge/hybrid-retriever.js'
export { indexedText } from './knowledge/indexed-text.js'
export type { CreateKnowledgeBaseInput, UpdateKnowledgeBaseInput } from './knowledge/knowledge-input.js'
export { DEFAULT_CHUNKING } from './knowledge/knowledge-input.js'
export type { KnowledgeLimits } from './knowledge/knowledge-limits.js'
export { DEFAULT_KNOWLEDGE_LIMITS } from './knowledge/knowledge-limits.js'
export type {
  AddDocumentOptions,
  KnowledgeSearchInput,
  KnowledgeServiceDependencies,
  QueuedDocument,
} from './knowledge/knowledge-service.js'
export { KnowledgeService } from './knowledge/knowledge-service.js'
export type { FusedHit, RankedList } from './knowledge/rank-fusion.js'
export { fuseRankings } from './knowledge/rank-fusion.js'
export type { UsageQuery } from './metering/usage-service.js'
export { MAX_USAGE_RANGE_MS, UsageService } from './metering/usage-service.js'
export type { BreakerState, CircuitBreakerOptions } from './models/model-circuit-breakers.js'
export {
  countsAgainstBreaker,
  DEFAULT_CIRCUIT_BREAKER,
  isOpenCircuitError,
  ModelCircuitBreakers,
} from './models/model-circuit-breakers.js'
export type { ResilienceOptions, ResilienceOptionsInput } from './models/resilience-options.js'
export { parseResilienceOptions, ResilienceOptionsSchema } from './models/resilience-options.js'
export type { ResilientModelCallerOptions } from './models/resilient-model-caller.js'
export { DEFAULT_MAX_RETRIES, ResilientModelCaller } from './models/resilient-model-caller.js'
export { StaticModelResolver } from './models/static-model-resolver.js'
export { cancelledError, toCoreError } from './orchestrator/abort.js'
export { toChatMessages, windowHistory } from './orchestrator/history-window.js'
export type {
  FallbackChain,
  ModelCaller,
  ModelCallPart,
  ModelCallRequest,
} from './orchestrator/model-caller.js'
export { DirectModelCaller } from './orchestrator/model-caller.js'
export type {
  OrchestratorDependencies,
  OrchestratorOptions,
  TurnRequest,
} from './orchestrator/orchestrator.js'
export { Orchestrator } from './orchestrator/orchestrator.js'
export type {
  RetrievalRequest,
  RetrievalResult,
  RetrievedPassage,
  Retriever,
} from './orchestrator/retriever.js'
export { REPAIR_INSTRUCTION } from './orchestrator/structured-output.js'
export { buildSystemPrompt, UNTRUSTED_NOTICE } from './orchestrator/system-prompt.js'
export type { ModelCallBudget, TurnBudget, TurnBudgetRequest } from './orchestrator/turn-budget.js'
export { UNLIMITED_BUDGET } from './orchestrator/turn-budget.js'
export { collectTurn } from './orchestrator/turn-events.js'
export type { RequestContext } from './request-context.js'
export { actorLabel } from './request-context.js'
export type { PutSecretInput, RotationReport, SecretView } from './secrets/secret-service.js'
export { MAX_SECRET_BYTES, SecretService } from './secrets/secret-service.js'
export type { CoreMetricDefinition } from './telemetry/core-metrics.js'
export { CORE_METRIC, CORE_METRICS, CORE_SPAN } from './telemetry/core-metrics.js'
export { ObservedModelCaller } from './telemetry/observed-model-caller.js'
export { ObservedRetriever } from './telemetry/observed-retriever.js'
export { tracedGenerator } from './telemetry/traced-generator.js'
export type { ApiKeyView, CreateApiKeyInput, CreatedApiKey } from './tenancy/api-key-service.js'
export { API_KEY_TOUCH_INTERVAL_MS, ApiKeyService } from './tenancy/api-key-service.js'
export { hashApiKey, parseApiKeyPrefix } from './tenancy/api-key-token.js'
export type { CompanyPatch, CreateCompanyInput, CreatedCompany } from './tenancy/company-service.js'
export { CompanyService } from './tenancy/company-service.js'
export {
  hasPermission,
  isPlatformActor,
  permissionsOf,
  requirePermission,
  requirePlatformActor,
  scopeOf,
} from './tenancy/permissions.js'
export type { CreateUserInput, LoginResult, UpdateUserInput, UserView } from './tenancy/user-service.js'
export { actorForUser, MIN_PASSWORD_LENGTH, normalizeEmail, UserService } from './tenancy/user-service.js'
export { BuiltinToolRuntime } from './tools/builtin-tool-runtime.js'
export { evaluateArithmetic } from './tools/builtins/arithmetic.js'
export type { AgentKnowledgeLookup } from './tools/builtins/knowledge-search.js'
export { createKnowledgeSearchTool } from './tools/builtins/knowledge-search.js'
export { createMathEvaluateTool } from './tools/builtins/math-evaluate.js'
export { createTimeNowTool } from './tools/builtins/time-now.js'
export { CompanyToolSource } from './tools/company-tool-source.js'
export type { Tooling, ToolingDependencies } from './tools/create-tooling.js'
export { createTooling } from './tools/create-tooling.js'
export { buildHttpRequest, IDEMPOTENT_METHODS } from './tools/http/http-request-template.js'
export { DEFAULT_MAX_RESULT_CHARS, truncateJson, truncateText } from './tools/http/http-tool-result.js'
export type {
  HttpToolRuntimeOptions,
  OutboundHostPolicy,
  SecretReader,
} from './tools/http/http-tool-runtime.js'
export { HttpToolRuntime } from './tools/http/http-tool-runtime.js'
export { createRedactor, REDACTED, REDACTION_PATH_PATTERN, scrubSecrets } from './tools/redaction.js'
export { startOfUtcDay, startOfUtcMonth, ToolCallPolicy } from './tools/tool-call-policy.js'
export type { OutboundTargetCheck } from './tools/tool-definition-checks.js'
export type { ToolBatch, ToolCallOutcome } from './tools/tool-executor.js'
export { DEFAULT_TOOL_TIMEOUT_MS, ToolExecutor } from './tools/tool-executor.js'
export type { ParsedToolInput, ToolInput } from './tools/tool-input.js'
export { SECRET_NAME_PATTERN, ToolInputSchema, WORKFLOW_JOB_KIND_PATTERN } from './tools/tool-input.js'
export type { ResolvedTool, ToolAdmission, ToolSource } from './tools/tool-registry.js'
export { ToolRegistry } from './tools/tool-registry.js'
export type { ToolServiceDependencies, ToolTestResult } from './tools/tool-service.js'
export { ToolService } from './tools/tool-service.js'
export { WorkflowToolRuntime, workflowJobKind } from './tools/workflow-tool-runtime.js'
