import { CoreError } from '@agentry/contracts'

/** Reply prefixes that mean "the server is there but cannot serve right now". */
const BUSY_REPLIES = /^(LOADING|BUSY|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|OOM|NOREPLICAS)\b/

/** Messages of ioredis and Node socket errors that mean the connection is not usable. */
const CONNECTION_FAILURES =
  /Connection is closed|Stream isn't writeable|enableOfflineQueue|Command timed out|max retries per request|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|Socket closed|Connection (was )?(lost|reset)/i

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** True when `error` says Redis cannot be reached or cannot serve at the moment. */
export function isUnavailableError(error: unknown): boolean {
  if (CoreError.hasCode(error, 'UNAVAILABLE')) return true
  if (!(error instanceof Error)) return false
  if (error.name === 'MaxRetriesPerRequestError' || error.name === 'ConnectionClosedError') return true
  return CONNECTION_FAILURES.test(error.message) || BUSY_REPLIES.test(error.message)
}

/**
 * Translates a driver error into a CoreError at the adapter boundary, keeping the original as
 * `cause`. `action` says what was being done ("enqueueing a job"). The URL is never quoted: it may
 * carry a password.
 */
export function toCoreError(error: unknown, action: string): CoreError {
  if (CoreError.isInstance(error)) return error
  if (isUnavailableError(error)) {
    return new CoreError(
      'UNAVAILABLE',
      `Redis is unavailable while ${action} (${messageOf(error)}): check that Redis runs at the configured url; the call can be retried`,
      { cause: error },
    )
  }
  return new CoreError('INTERNAL', `Redis failed while ${action}: ${messageOf(error)}`, { cause: error })
}

/** Runs `operation`, translating whatever it throws. */
export async function translateErrors<T>(action: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation()
  } catch (error) {
    throw toCoreError(error, action)
  }
}

/** CoreError `CANCELLED` when the caller's signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined, action: string): void {
  if (signal?.aborted) {
    throw new CoreError('CANCELLED', `Cancelled by the caller while ${action}`, { cause: signal.reason })
  }
}
