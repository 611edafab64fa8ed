import type {
  AgentId,
  AgentVersion,
  Clock,
  IdGenerator,
  JsonValue,
  SessionId,
  TenantScope,
  Turn,
  TurnContext,
  TurnId,
} from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import type { RequestContext } from '../request-context.js'
import { requirePermission, scopeOf } from '../tenancy/permissions.js'

/** What a caller asks of `Orchestrator.run`. */
export interface TurnRequest {
  readonly context: RequestContext
  readonly agentId: AgentId
  /** Continue this session; absent to start a new one. */
  readonly sessionId?: SessionId
  readonly message: string
  /** Same key (per company), same result: a retry replays the stored turn without a model call. */
  readonly idempotencyKey?: string
  /** Stream the model's reply (live `text-delta` events); else one call and one text event. */
  readonly stream?: boolean
  /** For a new session: `api`, `web`, `slack`, ... (`api` when absent). */
  readonly channel?: string
  readonly externalUserId?: string
  /** For a new session: kept as its `metadata` (locale, page, ...); ignored for an existing one. */
  readonly metadata?: Readonly<Record<string, JsonValue>>
  /** The caller's cancellation: reaches the model call and tools; the turn ends with `CANCELLED`. */
  readonly signal?: AbortSignal
}

const MAX_MESSAGE_CHARS = 200_000
const MAX_IDEMPOTENCY_KEY_LENGTH = 255

/** A turn that passed every check after its one read, with its new ids. */
export interface PreparedTurn {
  readonly scope: TenantScope
  readonly context: TurnContext & { readonly version: AgentVersion }
  readonly turnId: TurnId
  readonly sessionId: SessionId
  readonly startedAt: Date
}

/** Permission and input checks before anything is read. */
export function authorizeTurn(request: TurnRequest): TenantScope {
  requirePermission(request.context.actor, 'chat:send')
  const scope = scopeOf(request.context)
  const issues: { path: string; message: string }[] = []
  if (typeof request.message !== 'string' || request.message.trim() === '') {
    issues.push({ path: 'message', message: 'must not be empty' })
  } else if (request.message.length > MAX_MESSAGE_CHARS) {
    issues.push({ path: 'message', message: `must be at most ${MAX_MESSAGE_CHARS} characters` })
  }
  const key = request.idempotencyKey
  if (key !== undefined && (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH)) {
    issues.push({
      path: 'idempotencyKey',
      message: `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
    })
  }
  if (issues.length > 0) {
    throw new CoreError(
      'INVALID_INPUT',
      `Chat request is invalid: ${issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')}`,
      { details: { issues } },
    )
  }
  return scope
}

/**
 * Checks after the one read: a stored turn for the idempotency key is returned for replay;
 * otherwise the agent must exist and be enabled, the session must exist, the message must fit.
 */
export function prepareTurn(
  request: TurnRequest,
  scope: TenantScope,
  loaded: TurnContext,
  dependencies: { readonly ids: IdGenerator; readonly clock: Clock },
): PreparedTurn | Turn {
  const existing = loaded.existingTurn
  if (existing) {
    if (
      existing.agentId !== request.agentId ||
      (request.sessionId !== undefined && existing.sessionId !== request.sessionId)
    ) {
      throw new CoreError(
        'CONFLICT',
        'This idempotency key was already used for a turn of another agent or session: use a new key for a new request.',
      )
    }
    if (existing.result) return existing
  }
  const { agent, version } = loaded
  if (!agent) throw new CoreError('NOT_FOUND', `Agent ${request.agentId} not found in this company.`)
  if (agent.status === 'disabled') {
    throw new CoreError('CONFLICT', `Agent ${agent.id} is disabled: enable it before sending messages.`)
  }
  if (!version)
    throw new CoreError('INTERNAL', `Agent ${agent.id} has no current version ${agent.currentVersion}.`)
  if (request.sessionId !== undefined && !loaded.session) {
    throw new CoreError(
      'NOT_FOUND',
      `Session ${request.sessionId} not found for agent ${agent.id}: omit sessionId to start a new session.`,
    )
  }
  const limit = version.config.guardrails.maxInputChars
  if (request.message.length > limit) {
    throw new CoreError(
      'INVALID_INPUT',
      `The message has ${request.message.length} characters; this agent accepts at most ${limit} (guardrails.maxInputChars).`,
      {
        details: { issues: [{ path: 'message', message: `must be at most ${limit} characters` }] },
      },
    )
  }
  return {
    scope,
    context: { ...loaded, version },
    turnId: dependencies.ids.next() as TurnId,
    sessionId: loaded.session?.id ?? (dependencies.ids.next() as SessionId),
    startedAt: dependencies.clock.now(),
  }
}
