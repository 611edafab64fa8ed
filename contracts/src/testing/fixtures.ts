import { type AgentConfigInput, parseAgentConfig } from '../config/agent-config.js'
import type { Agent, AgentVersion } from '../domain/agent.js'
import type { AuditEntry } from '../domain/audit.js'
import type { Invoice, PriceBook, Quota } from '../domain/billing.js'
import type { Message, Session, Turn, UsageSummary } from '../domain/conversation.js'
import type { Chunk, KnowledgeBase, KnowledgeDocument } from '../domain/knowledge.js'
import type { Secret } from '../domain/secret.js'
import type { ApiKey, Company, User } from '../domain/tenancy.js'
import type { ToolCallRecord, ToolDefinition } from '../domain/tool.js'
import type { NewUsageEvent } from '../domain/usage.js'
import type { AgentId, CompanyId, SessionId, TurnId } from '../ids.js'
import { createUuidV7Generator } from '../ids-uuid-v7.js'
import { type TenantScope, tenantScope } from '../scope.js'

/**
 * Test-data builders: each returns a complete, valid row with fresh monotonic ids (UUIDv7, so ids
 * sort in the order they were made) and `createdAt`/`updatedAt` of now; pass overrides for what a
 * test cares about. Builders take the parent row (or its ids) so tenant and foreign keys line up.
 */

const ids = createUuidV7Generator()

/** A fresh lowercase UUIDv7, typed as the id brand you ask for. */
export function newId<T extends string = string>(): T {
  return ids.next() as T
}

type Overrides<T> = { -readonly [K in keyof T]?: T[K] }
type CompanyRef = { readonly companyId: CompanyId }

export function makeCompany(overrides: Overrides<Company> = {}): Company {
  const at = overrides.createdAt ?? new Date()
  return {
    id: newId(),
    name: 'Acme',
    planId: 'starter',
    status: 'active',
    createdAt: at,
    updatedAt: at,
    ...overrides,
  }
}

/** A company and the tenant scope for it, for tests that work inside one tenant. */
export function makeTenant(overrides: Overrides<Company> = {}): { company: Company; scope: TenantScope } {
  const company = makeCompany(overrides)
  return { company, scope: tenantScope(company.id) }
}

export function makeUser(parent: CompanyRef, overrides: Overrides<User> = {}): User {
  const at = overrides.createdAt ?? new Date()
  const id = overrides.id ?? newId<NonNullable<typeof overrides.id>>()
  return {
    id,
    companyId: parent.companyId,
    email: `user-${id}@example.com`,
    name: 'Ada Lovelace',
    role: 'operator',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA',
    status: 'active',
    createdAt: at,
    updatedAt: at,
    ...overrides,
  }
}

export function makeApiKey(parent: CompanyRef, overrides: Overrides<ApiKey> = {}): ApiKey {
  const id = overrides.id ?? newId<NonNullable<typeof overrides.id>>()
  return {
    id,
    companyId: parent.companyId,
    name: 'server key',
    prefix: `ak_${id.replace(/-/g, '').slice(-16)}`,
    hash: 'a'.repeat(64),
    permissions: ['chat:send', 'agents:view'],
    expiresAt: null,
    revokedAt: null,
    lastUsedAt: null,
    createdBy: null,
    createdAt: new Date(),
    ...overrides,
  }
}

export function makeAgent(parent: CompanyRef, overrides: Overrides<Agent> = {}): Agent {
  const at = overrides.createdAt ?? new Date()
  return {
    id: newId(),
    companyId: parent.companyId,
    name: 'Support agent',
    kind: 'chat',
    status: 'active',
    currentVersion: 1,
    latestVersion: 1,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  }
}

/** A version of `agent`; `config` is parsed with defaults, so `{ systemPrompt: 'Hi' }` is enough. */
export function makeAgentVersion(
  agent: Pick<Agent, 'id' | 'companyId'>,
  overrides: Overrides<Omit<AgentVersion, 'config'>> & { config?: AgentConfigInput } = {},
): AgentVersion {
  const { config, ...rest } = overrides
  return {
    agentId: agent.id,
    companyId: agent.companyId,
    version: 1,
    config: parseAgentConfig(config ?? { systemPrompt: 'You are a helpful assistant.' }),
    author: null,
    note: null,
    createdAt: new Date(),
    ...rest,
  }
}

export function makeSession(
  agent: Pick<Agent, 'id' | 'companyId'>,
  overrides: Overrides<Session> = {},
): Session {
  const at = overrides.createdAt ?? new Date()
  return {
    id: newId(),
    companyId: agent.companyId,
    agentId: agent.id,
    channel: 'api',
    externalUserId: null,
    summary: null,
    metadata: {},
    messageCount: 0,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  }
}

export function emptyUsageSummary(): UsageSummary {
  return {
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    modelCalls: 0,
    toolCalls: 0,
    kbQueries: 0,
    embeddingTokens: 0,
  }
}

/** A completed turn of `session` with an empty result; set `result` when a test replays it. */
export function makeTurn(
  session: Pick<Session, 'id' | 'companyId' | 'agentId'>,
  overrides: Overrides<Turn> = {},
): Turn {
  const at = overrides.createdAt ?? new Date()
  return {
    id: newId(),
    companyId: session.companyId,
    sessionId: session.id,
    agentId: session.agentId,
    agentVersion: 1,
    idempotencyKey: null,
    apiKeyId: null,
    status: 'completed',
    result: null,
    error: null,
    usage: emptyUsageSummary(),
    createdAt: at,
    completedAt: at,
    ...overrides,
  }
}

export function makeMessage(
  turn: Pick<Turn, 'id' | 'companyId' | 'sessionId'>,
  overrides: Overrides<Message> = {},
): Message {
  const content = overrides.content ?? 'Hello'
  return {
    id: newId(),
    companyId: turn.companyId,
    sessionId: turn.sessionId,
    turnId: turn.id,
    role: 'user',
    content,
    toolCalls: [],
    toolCallId: null,
    toolName: null,
    citations: [],
    tokenCount: Math.max(1, Math.ceil(content.length / 4)),
    createdAt: new Date(),
    ...overrides,
  }
}

/**
 * An `llm.tokens` event of `parent`'s company; `agentId`, `sessionId` and `turnId` are taken from
 * `parent` when present (`makeUsageEvent({ ...turn, turnId: turn.id })`).
 */
export function makeUsageEvent(
  parent: CompanyRef & {
    readonly agentId?: AgentId | null
    readonly sessionId?: SessionId | null
    readonly turnId?: TurnId | null
  },
  overrides: Overrides<NewUsageEvent> = {},
): NewUsageEvent {
  return {
    id: newId(),
    companyId: parent.companyId,
    kind: 'llm.tokens',
    occurredAt: new Date(),
    agentId: parent.agentId ?? null,
    sessionId: parent.sessionId ?? null,
    turnId: parent.turnId ?? null,
    apiKeyId: null,
    provider: 'local',
    model: 'scripted',
    toolName: null,
    inputTokens: 10,
    outputTokens: 5,
    cachedInputTokens: 0,
    quantity: 0,
    ...overrides,
  }
}

export function makeKnowledgeBase(
  parent: CompanyRef,
  overrides: Overrides<KnowledgeBase> = {},
): KnowledgeBase {
  const at = overrides.createdAt ?? new Date()
  const id = overrides.id ?? newId<NonNullable<typeof overrides.id>>()
  return {
    id,
    companyId: parent.companyId,
    name: `Handbook ${id.slice(-12)}`,
    description: 'Company handbook',
    chunking: { maxTokens: 800, overlapTokens: 120 },
    createdAt: at,
    updatedAt: at,
    ...overrides,
  }
}

export function makeDocument(
  knowledgeBase: Pick<KnowledgeBase, 'id' | 'companyId'>,
  overrides: Overrides<KnowledgeDocument> = {},
): KnowledgeDocument {
  const at = overrides.createdAt ?? new Date()
  return {
    id: newId(),
    companyId: knowledgeBase.companyId,
    knowledgeBaseId: knowledgeBase.id,
    title: 'Refund policy',
    source: { type: 'text' },
    mediaType: 'text/plain',
    sizeBytes: 11,
    sha256: 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9',
    status: 'pending',
    error: null,
    chunkCount: 0,
    tokenCount: 0,
    createdAt: at,
    updatedAt: at,
    indexedAt: null,
    ...overrides,
  }
}

export function makeChunk(
  document: Pick<KnowledgeDocument, 'id' | 'companyId' | 'knowledgeBaseId'>,
  overrides: Overrides<Chunk> = {},
): Chunk {
  const text = overrides.text ?? 'Refunds are paid within 14 days.'
  const startOffset = overrides.startOffset ?? 0
  return {
    id: newId(),
    companyId: document.companyId,
    knowledgeBaseId: document.knowledgeBaseId,
    documentId: document.id,
    ordinal: 0,
    text,
    tokenCount: Math.max(1, Math.ceil(text.length / 4)),
    headingPath: [],
    page: null,
    startOffset,
    endOffset: startOffset + text.length,
    ...overrides,
  }
}

/** A builtin tool named `test.<something unique>` unless `name` is given. */
export function makeTool(parent: CompanyRef, overrides: Overrides<ToolDefinition> = {}): ToolDefinition {
  const at = overrides.createdAt ?? new Date()
  const id = overrides.id ?? newId<NonNullable<typeof overrides.id>>()
  return {
    id,
    companyId: parent.companyId,
    name: `test.tool_${id.replace(/-/g, '').slice(-12)}`,
    kind: 'builtin',
    description: 'Looks something up.',
    inputSchema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
    outputSchema: null,
    timeoutMs: 10_000,
    retry: { attempts: 1, backoffMs: 200 },
    rateLimitPerMinute: null,
    budget: { perDay: null, perMonth: null },
    redact: [],
    http: null,
    workflow: null,
    builtin: { name: 'echo' },
    createdAt: at,
    updatedAt: at,
    ...overrides,
  }
}

export function makeToolCall(parent: CompanyRef, overrides: Overrides<ToolCallRecord> = {}): ToolCallRecord {
  return {
    id: newId(),
    companyId: parent.companyId,
    agentId: null,
    sessionId: null,
    turnId: null,
    toolName: 'test.lookup',
    toolId: null,
    arguments: { query: 'order 42' },
    result: { status: 'shipped' },
    status: 'ok',
    errorCode: null,
    errorMessage: null,
    latencyMs: 12,
    createdAt: new Date(),
    ...overrides,
  }
}

export function makeSecret(parent: CompanyRef, overrides: Overrides<Secret> = {}): Secret {
  const at = overrides.createdAt ?? new Date()
  const id = overrides.id ?? newId<NonNullable<typeof overrides.id>>()
  return {
    id,
    companyId: parent.companyId,
    name: `secret_${id.replace(/-/g, '').slice(-12)}`,
    value: { keyId: 'k1', ciphertext: 'bm9uY2UAY2lwaGVydGV4dAB0YWc=' },
    createdAt: at,
    updatedAt: at,
    ...overrides,
  }
}

/** A price book for a plan of its own (`plan-<id>`) unless `planId` is given. */
export function makePriceBook(overrides: Overrides<PriceBook> = {}): PriceBook {
  const id = overrides.id ?? newId<NonNullable<typeof overrides.id>>()
  return {
    id,
    planId: `plan-${id}`,
    version: 1,
    effectiveFrom: new Date(Date.UTC(2026, 0, 1)),
    currency: 'USD',
    minorUnitsPerMajor: 100,
    baseFeeMicros: 0,
    prices: [
      {
        meter: 'llm.input_tokens',
        modelPattern: '*',
        unitPriceMicros: 500_000,
        per: 1_000_000,
        includedQuantity: 0,
      },
      {
        meter: 'llm.output_tokens',
        modelPattern: '*',
        unitPriceMicros: 1_500_000,
        per: 1_000_000,
        includedQuantity: 0,
      },
    ],
    createdAt: new Date(),
    ...overrides,
  }
}

/** A draft invoice for `period` (default the current UTC month) with one base-fee line. */
export function makeInvoice(parent: CompanyRef, overrides: Overrides<Invoice> = {}): Invoice {
  return {
    id: newId(),
    companyId: parent.companyId,
    period: new Date().toISOString().slice(0, 7),
    currency: 'USD',
    status: 'draft',
    lines: [
      {
        meter: 'base_fee',
        model: null,
        description: 'Base fee',
        quantity: 1,
        includedQuantity: 0,
        billableQuantity: 1,
        unitPriceMicros: 10_000_000,
        per: 1,
        amount: 1000,
      },
    ],
    total: 1000,
    digest: 'c'.repeat(64),
    priceBookId: newId(),
    priceBookVersion: 1,
    eventCount: 0,
    createdAt: new Date(),
    finalizedAt: null,
    ...overrides,
  }
}

export function makeQuota(parent: CompanyRef, overrides: Overrides<Quota> = {}): Quota {
  const at = overrides.createdAt ?? new Date()
  return {
    id: newId(),
    companyId: parent.companyId,
    subject: { type: 'company' },
    metric: 'tokens',
    limit: 1_000_000,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  }
}

export function makeAuditEntry(parent: CompanyRef, overrides: Overrides<AuditEntry> = {}): AuditEntry {
  return {
    id: newId(),
    companyId: parent.companyId,
    actor: 'system',
    action: 'agent.create',
    resourceType: 'agent',
    resourceId: newId(),
    details: {},
    requestId: null,
    occurredAt: new Date(),
    ...overrides,
  }
}
