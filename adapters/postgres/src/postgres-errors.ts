import { CoreError, type ErrorCode } from '@agentry/contracts'

/** What the caller was doing, for messages that say what failed (`agent create`, `turn commit`). */
export type Operation = string

const UNAVAILABLE_SQLSTATE_CLASSES = ['08', '53', '57P', 'XX']
const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
])
const UNAVAILABLE_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'connection timeout',
  'Client has encountered a connection error',
  'Cannot use a pool after calling end',
  'Client was closed',
  'PGlite is closed',
  'driver has already been destroyed',
]

function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined
}

function nodeCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && UNAVAILABLE_NODE_CODES.has(code)) return code
  const inner = (error as { errors?: unknown }).errors
  if (Array.isArray(inner)) return inner.map(nodeCodeOf).find((found) => found !== undefined)
  return undefined
}

function forbiddenMessage(operation: Operation, error: unknown): string {
  const text = error instanceof Error ? error.message : ''
  if (text.includes('row-level security')) {
    return `${operation} touches a row of another company: a row's companyId must be the scope's company`
  }
  if (text.includes('append-only') || text.includes('is final')) return `${operation} was refused: ${text}`
  if (text.includes('set role')) {
    return `${operation} could not switch to the runtime role (${text}): make the login role a member of it`
  }
  return `${operation} was refused by the database (${text}): run migrate() so the runtime role has its grants`
}

function coded(
  code: ErrorCode,
  message: string,
  cause: unknown,
  details?: Record<string, unknown>,
): CoreError {
  return new CoreError(code, message, { cause, ...(details ? { details } : {}) })
}

function fromSqlState(reported: string, operation: Operation, error: unknown): CoreError | undefined {
  const constraint = (error as { constraint?: unknown }).constraint
  const details = typeof constraint === 'string' ? { constraint } : undefined
  const text = error instanceof Error ? error.message : ''
  // `SET ROLE` to a role that is not there yet reports 22023; it means the migrations never ran.
  const state = reported === '22023' && /role .* does not exist/.test(text) ? '42704' : reported
  switch (state) {
    case '23505':
      return coded(
        'CONFLICT',
        `${operation} conflicts with an existing row: use another id or name`,
        error,
        details,
      )
    case '23503':
      return coded('NOT_FOUND', `${operation} refers to a row the company does not have`, error, details)
    case '23502':
    case '23514':
    case '22001':
    case '22003':
    case '22007':
    case '22008':
    case '22P02':
    case '22023':
      return coded('INVALID_INPUT', `${operation} was given a value the database refuses`, error, details)
    case '42501':
      return coded('FORBIDDEN', forbiddenMessage(operation, error), error)
    case '57014':
      return coded('TIMEOUT', `${operation} took longer than the statement timeout: retry or raise it`, error)
    case '55P03':
      return coded('TIMEOUT', `${operation} waited too long for a lock: retry`, error)
    case '42P01':
    case '42704':
      return coded('INTERNAL', `${operation} found no schema or runtime role: run migrate() first`, error)
    case '40001':
    case '40P01':
      return new CoreError('CONFLICT', `${operation} collided with a concurrent change: retry`, {
        cause: error,
        isRetryable: true,
      })
  }
  if (state === '25P02') return undefined
  if (UNAVAILABLE_SQLSTATE_CLASSES.some((prefix) => state.startsWith(prefix))) {
    return coded(
      'UNAVAILABLE',
      `${operation} failed: the database is unavailable (${state}), retry later`,
      error,
    )
  }
  return undefined
}

/**
 * Translates a `pg` / PGlite error into a CoreError, keeping the original as `cause`. A CoreError
 * passes through unchanged. Unknown errors become `INTERNAL`.
 */
export function toCoreError(error: unknown, operation: Operation): CoreError {
  if (CoreError.isInstance(error)) return error
  const state = sqlStateOf(error)
  const mapped = state ? fromSqlState(state, operation, error) : undefined
  if (mapped) return mapped
  const nodeCode = nodeCodeOf(error)
  const message = error instanceof Error ? error.message : String(error)
  if (nodeCode || UNAVAILABLE_MESSAGES.some((text) => message.includes(text))) {
    return coded(
      'UNAVAILABLE',
      `${operation} failed: cannot reach the database (${nodeCode ?? message}); check that it runs and the URL is right`,
      error,
    )
  }
  return coded('INTERNAL', `${operation} failed unexpectedly: ${message}`, error)
}

export function cancelled(operation: Operation, reason: unknown): CoreError {
  return new CoreError('CANCELLED', `${operation} was cancelled`, { cause: reason })
}
