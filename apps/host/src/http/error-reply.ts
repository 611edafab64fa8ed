import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { CoreError, type ErrorCode } from '@agentry/contracts'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { ERROR_STATUS } from './error-status.js'

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

/** The client's `X-Request-Id` when it is 1-128 safe characters, else a new UUID. */
export function requestIdOf(request: IncomingMessage): string {
  const header = request.headers['x-request-id']
  const value = Array.isArray(header) ? header[0] : header
  return value !== undefined && REQUEST_ID.test(value) ? value : randomUUID()
}

export interface ErrorBody {
  readonly error: {
    readonly code: ErrorCode
    readonly message: string
    readonly details?: Readonly<Record<string, unknown>>
    readonly requestId: string
  }
}

export function errorBody(error: CoreError, requestId: string): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
      requestId,
    },
  }
}

const FASTIFY_CODES: Readonly<Record<number, ErrorCode>> = {
  400: 'INVALID_INPUT',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  503: 'UNAVAILABLE',
}

/**
 * Any error a request can end with, as a CoreError: validation failures name each field, the
 * framework's body errors (malformed JSON, size, content type) keep their 4xx meaning, and
 * anything unexpected is `INTERNAL` without its internals.
 */
export function toHttpError(error: unknown, bodyLimitBytes: number): CoreError {
  if (CoreError.isInstance(error)) return error
  if (hasZodFastifySchemaValidationErrors(error)) {
    const location = (error as FastifyError).validationContext
    const issues = error.validation.map((issue) => ({
      path: issue.instancePath.replace(/^\//, '').replaceAll('/', '.'),
      message: issue.message,
      ...(location ? { location } : {}),
    }))
    const summary = issues.map((issue) => `${location ?? ''} ${issue.path || '(root)'}: ${issue.message}`)
    return new CoreError('INVALID_INPUT', `The request is invalid: ${summary.join('; ')}`, {
      cause: error,
      details: { issues },
    })
  }
  const fastifyError = error as Partial<FastifyError>
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new CoreError(
        'PAYLOAD_TOO_LARGE',
        `The body is larger than ${bodyLimitBytes} bytes: send less (AGENTRY_BODY_LIMIT_BYTES sets the limit).`,
        { cause: error, details: { limitBytes: bodyLimitBytes } },
      )
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new CoreError(
        'UNSUPPORTED_MEDIA_TYPE',
        'This content type is not accepted: send the body as JSON with Content-Type: application/json.',
        { cause: error },
      )
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new CoreError('INVALID_INPUT', `The body is not valid JSON: ${fastifyError.message}`, {
        cause: error,
      })
  }
  const status = fastifyError.statusCode
  if (status !== undefined && status >= 400 && status < 500) {
    const code = FASTIFY_CODES[status] ?? 'INVALID_INPUT'
    return new CoreError(code, fastifyError.message ?? 'The request is invalid.', { cause: error })
  }
  if (error instanceof SyntaxError) {
    return new CoreError('INVALID_INPUT', `The body is not valid JSON: ${error.message}`, { cause: error })
  }
  return new CoreError('INTERNAL', 'Something went wrong on our side: report the requestId.', {
    cause: error,
  })
}

/** Sends the error envelope with its status and, when the error says how long to wait, `Retry-After`. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: CoreError): FastifyReply {
  if (error.code === 'INTERNAL' || ERROR_STATUS[error.code] >= 500) {
    request.log.error({ err: error.cause ?? error, code: error.code }, error.message)
  }
  if (error.retryAfterMs !== undefined) {
    reply.header('retry-after', String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))))
  }
  return reply.status(ERROR_STATUS[error.code]).send(errorBody(error, request.id))
}
