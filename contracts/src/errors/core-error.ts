/**
 * The closed set of transport-neutral error codes. The host maps each to one HTTP status
 * (apps/host `error-status.ts`); `docs/errors.md` describes each. Adding a code is a breaking change
 * for clients that switch on codes exhaustively, so add with care.
 */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'QUOTA_EXCEEDED',
  'CONTEXT_LENGTH_EXCEEDED',
  'CONTENT_FILTERED',
  'UPSTREAM_ERROR',
  'CANCELLED',
  'TIMEOUT',
  'UNAVAILABLE',
  'INTERNAL',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

const RETRYABLE_BY_DEFAULT: ReadonlySet<ErrorCode> = new Set(['RATE_LIMITED', 'TIMEOUT', 'UNAVAILABLE'])
const MARKER = Symbol.for('agentry.core-error')

export interface CoreErrorOptions {
  /** The original error from a driver or SDK, kept for logs; never shown to API clients. */
  readonly cause?: unknown
  /** Structured, client-safe facts (field paths, limits). Never secrets. */
  readonly details?: Readonly<Record<string, unknown>>
  /** Overrides the code's default retryability. */
  readonly isRetryable?: boolean
  /** For `RATE_LIMITED` and `UNAVAILABLE`: how long the caller should wait, when known. */
  readonly retryAfterMs?: number
}

/**
 * The one error class of the platform. Expected business alternatives are data (see `TurnOutcome`),
 * not errors; a `CoreError` means the operation did not happen as asked.
 */
export class CoreError extends Error {
  override readonly name = 'CoreError'
  readonly code: ErrorCode
  readonly isRetryable: boolean
  readonly details: Readonly<Record<string, unknown>> | undefined
  readonly retryAfterMs: number | undefined
  readonly [MARKER] = true

  constructor(code: ErrorCode, message: string, options: CoreErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.isRetryable = options.isRetryable ?? RETRYABLE_BY_DEFAULT.has(code)
    this.details = options.details
    this.retryAfterMs = options.retryAfterMs
  }

  /**
   * True for a CoreError from any copy of this package (two versions installed side by side make
   * `instanceof` unreliable; the marker is a registered symbol shared across copies).
   */
  static isInstance(value: unknown): value is CoreError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true
  }

  /** True when `value` is a CoreError with one of `codes`. */
  static hasCode(value: unknown, ...codes: readonly ErrorCode[]): value is CoreError {
    return CoreError.isInstance(value) && codes.includes(value.code)
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value)
}
