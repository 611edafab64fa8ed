import { CoreError } from '@agentry/contracts'
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk'
import { retryAfterMs } from './retry-after.js'

/** What the translation needs to know about the call that failed. */
export interface AnthropicErrorContext {
  readonly provider: string
  /** Whose key the call used, so a rejection names the setting to fix. */
  readonly keySource: 'company' | 'platform'
  readonly settings: { readonly platform: string; readonly company: string }
  readonly timeoutMs: number
  readonly signal?: AbortSignal | undefined
}

const CONTEXT_LENGTH = /prompt is too long|context limit|context window|too many tokens/i
const CONTENT_FILTER = /content filtering|content policy/i

/** Any failure of an Anthropic SDK call as a CoreError, the original kept as `cause`. */
export function toCoreError(error: unknown, context: AnthropicErrorContext): CoreError {
  if (CoreError.isInstance(error)) return error
  if (context.signal?.aborted || error instanceof APIUserAbortError) return cancelled(error)
  const details = { provider: context.provider }
  if (error instanceof APIConnectionTimeoutError) {
    return new CoreError('TIMEOUT', `Anthropic did not answer within ${context.timeoutMs} ms.`, {
      cause: error,
      details,
    })
  }
  if (error instanceof APIConnectionError || isConnectionFailure(error)) {
    return new CoreError(
      'UNAVAILABLE',
      'Could not reach Anthropic, or it closed the connection: try again.',
      {
        cause: error,
        details,
      },
    )
  }
  if (error instanceof APIError) return fromApiError(error, context)
  return new CoreError('UPSTREAM_ERROR', 'Anthropic sent a response this adapter cannot read.', {
    cause: error,
    details,
  })
}

export function cancelled(cause?: unknown): CoreError {
  return new CoreError('CANCELLED', 'The call was cancelled by its caller (the AbortSignal fired).', {
    cause,
  })
}

function fromApiError(error: APIError, context: AnthropicErrorContext): CoreError {
  const status = error.status
  const type = error.type ?? ''
  const providerMessage = error.apiMessage ?? ''
  const said = providerMessage ? `: ${providerMessage}` : ''
  const options = {
    cause: error,
    details: { provider: context.provider, status: status ?? null, providerCode: type || null },
  }

  if (status === 401 || status === 403 || type === 'authentication_error' || type === 'permission_error') {
    const message =
      context.keySource === 'company'
        ? `Anthropic rejected the company's API key: update the company's \`${context.settings.company}\` secret.`
        : `Anthropic rejected the API key: set ${context.settings.platform} or the company's \`${context.settings.company}\` secret.`
    return new CoreError('UNAUTHENTICATED', message, options)
  }
  if (status === 429 || type === 'rate_limit_error') {
    return new CoreError('RATE_LIMITED', `Anthropic is rate limiting these requests${said}`, {
      ...options,
      retryAfterMs: retryAfterMs(error.headers),
    })
  }
  if (status === 529 || type === 'overloaded_error') {
    return new CoreError('UNAVAILABLE', `Anthropic is overloaded${said}. Try again shortly.`, {
      ...options,
      retryAfterMs: retryAfterMs(error.headers),
    })
  }
  if (CONTEXT_LENGTH.test(providerMessage)) {
    return new CoreError(
      'CONTEXT_LENGTH_EXCEEDED',
      `The conversation is too long for the model${said}. Shorten the history or the retrieved context.`,
      options,
    )
  }
  if (CONTENT_FILTER.test(providerMessage)) {
    return new CoreError(
      'CONTENT_FILTERED',
      `Anthropic's content filtering blocked the reply${said}`,
      options,
    )
  }
  if (status === 408 || status === 504 || type === 'timeout_error') {
    return new CoreError('TIMEOUT', `Anthropic timed out the request${said}`, options)
  }
  if (status === undefined || status === 409 || status >= 500 || type === 'api_error') {
    return new CoreError('UNAVAILABLE', `Anthropic failed to answer${said}. Try again.`, {
      ...options,
      retryAfterMs: retryAfterMs(error.headers),
    })
  }
  if (status === 402 || type === 'billing_error') {
    return new CoreError(
      'UPSTREAM_ERROR',
      `Anthropic refused the call for billing reasons${said}. Check the plan of the key in use.`,
      { ...options, isRetryable: false },
    )
  }
  if (status === 400 || status === 404 || status === 413 || status === 422) {
    return new CoreError('INVALID_INPUT', `Anthropic rejected the request${said}`, options)
  }
  return new CoreError('UPSTREAM_ERROR', `Anthropic answered with HTTP ${status}${said}`, options)
}

/** A connection that broke while the body was being read (undici reports `terminated`). */
function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const cause = (error as { cause?: { code?: unknown } }).cause
  const code = typeof cause?.code === 'string' ? cause.code : ''
  return error.message === 'terminated' || code.startsWith('UND_ERR') || code.startsWith('ECONN')
}
