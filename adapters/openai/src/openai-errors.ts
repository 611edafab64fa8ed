import { CoreError } from '@agentry/contracts'
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai'
import { retryAfterMs } from './retry-after.js'

/** What the translation needs to know about the call that failed. */
export interface OpenAIErrorContext {
  /** `OpenAI`, or a compatible server's provider name. */
  readonly label: string
  readonly provider: string
  /** Whose key the call used, so a rejection names the setting to fix. */
  readonly keySource: 'company' | 'platform'
  readonly settings: { readonly platform: string; readonly company: string }
  readonly timeoutMs: number
  readonly signal?: AbortSignal | undefined
}

const CONTEXT_LENGTH = /context[_ ]length|maximum context|context window|too many tokens|prompt is too long/i
const CONTENT_FILTER = /content[_ ]filter|content[_ ]policy|content management policy/i

/** Any failure of an OpenAI SDK call as a CoreError, the original kept as `cause`. */
export function toCoreError(error: unknown, context: OpenAIErrorContext): CoreError {
  if (CoreError.isInstance(error)) return error
  const { label } = context
  if (context.signal?.aborted || error instanceof APIUserAbortError) return cancelled(error)
  if (error instanceof APIConnectionTimeoutError) {
    return new CoreError('TIMEOUT', `${label} did not answer within ${context.timeoutMs} ms.`, {
      cause: error,
      details: { provider: context.provider },
    })
  }
  if (error instanceof APIConnectionError || isConnectionFailure(error)) {
    return new CoreError('UNAVAILABLE', `Could not reach ${label}, or it closed the connection: try again.`, {
      cause: error,
      details: { provider: context.provider },
    })
  }
  if (error instanceof APIError) return fromApiError(error, context)
  return new CoreError('UPSTREAM_ERROR', `${label} sent a response this adapter cannot read.`, {
    cause: error,
    details: { provider: context.provider },
  })
}

export function cancelled(cause?: unknown): CoreError {
  return new CoreError('CANCELLED', 'The call was cancelled by its caller (the AbortSignal fired).', {
    cause,
  })
}

function fromApiError(error: APIError, context: OpenAIErrorContext): CoreError {
  const { label } = context
  const status = error.status
  const body = error.error as { message?: unknown } | undefined
  const providerMessage = typeof body?.message === 'string' ? body.message : ''
  const code = typeof error.code === 'string' ? error.code : (error.type ?? '')
  const details = { provider: context.provider, status: status ?? null, providerCode: code || null }
  const options = { cause: error, details }
  const said = providerMessage ? `: ${providerMessage}` : ''

  if (status === 401 || status === 403) {
    const message =
      context.keySource === 'company'
        ? `${label} rejected the company's API key: update the company's \`${context.settings.company}\` secret.`
        : `${label} rejected the API key: set ${context.settings.platform} or the company's \`${context.settings.company}\` secret.`
    return new CoreError('UNAUTHENTICATED', message, options)
  }
  if (status === 429 || code === 'rate_limit_exceeded') {
    if (code === 'insufficient_quota') {
      return new CoreError(
        'UPSTREAM_ERROR',
        `${label} reports the account's quota is used up: check the plan and billing of the key in use.`,
        { ...options, isRetryable: false },
      )
    }
    return new CoreError('RATE_LIMITED', `${label} is rate limiting these requests${said}`, {
      ...options,
      retryAfterMs: retryAfterMs(error.headers),
    })
  }
  if (code === 'context_length_exceeded' || CONTEXT_LENGTH.test(providerMessage)) {
    return new CoreError(
      'CONTEXT_LENGTH_EXCEEDED',
      `The conversation is too long for the model${said}. Shorten the history or the retrieved context.`,
      options,
    )
  }
  if (CONTENT_FILTER.test(code) || CONTENT_FILTER.test(providerMessage)) {
    return new CoreError('CONTENT_FILTERED', `${label}'s content filter blocked the request${said}`, options)
  }
  if (status === 408) return new CoreError('TIMEOUT', `${label} timed out the request${said}`, options)
  if (status === undefined || status === 409 || status >= 500) {
    return new CoreError('UNAVAILABLE', `${label} failed to answer${said}. Try again.`, {
      ...options,
      retryAfterMs: retryAfterMs(error.headers),
    })
  }
  if (status === 400 || status === 404 || status === 413 || status === 422) {
    return new CoreError('INVALID_INPUT', `${label} rejected the request${said}`, options)
  }
  return new CoreError('UPSTREAM_ERROR', `${label} answered with HTTP ${status}${said}`, options)
}

/** A connection that broke while the body was being read (undici reports `terminated`). */
function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const cause = (error as { cause?: { code?: unknown } }).cause
  const code = typeof cause?.code === 'string' ? cause.code : ''
  return error.message === 'terminated' || code.startsWith('UND_ERR') || code.startsWith('ECONN')
}
