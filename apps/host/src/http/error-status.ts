import type { ErrorCode } from '@agentry/contracts'

/**
 * The one place a CoreError code becomes an HTTP status. `docs/errors.md` has a line per code;
 * a test keeps the two in step.
 */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  CONTEXT_LENGTH_EXCEEDED: 422,
  CONTENT_FILTERED: 422,
  RATE_LIMITED: 429,
  QUOTA_EXCEEDED: 429,
  CANCELLED: 499,
  INTERNAL: 500,
  UPSTREAM_ERROR: 502,
  UNAVAILABLE: 503,
  TIMEOUT: 504,
}
