import { describe, expect, it } from 'vitest'
import { CoreError, ERROR_CODES, isErrorCode } from './core-error.js'

describe('CoreError', () => {
  it('keeps code, message, cause and details', () => {
    const cause = new Error('23505 duplicate key')
    const error = new CoreError('CONFLICT', 'An agent with this id exists', { cause, details: { id: 'x' } })
    expect(error.code).toBe('CONFLICT')
    expect(error.message).toBe('An agent with this id exists')
    expect(error.cause).toBe(cause)
    expect(error.details).toEqual({ id: 'x' })
    expect(error).toBeInstanceOf(Error)
  })

  it('is retryable by default only for transient codes', () => {
    const retryable = ERROR_CODES.filter((code) => new CoreError(code, 'x').isRetryable)
    expect(retryable).toEqual(['RATE_LIMITED', 'TIMEOUT', 'UNAVAILABLE'])
    expect(new CoreError('INTERNAL', 'x', { isRetryable: true }).isRetryable).toBe(true)
  })

  it('recognises an error made by another copy of the package', () => {
    const foreign = Object.assign(new Error('from another copy'), {
      code: 'NOT_FOUND',
      [Symbol.for('agentry.core-error')]: true,
    })
    expect(CoreError.isInstance(foreign)).toBe(true)
    expect(CoreError.isInstance(new Error('plain'))).toBe(false)
    expect(CoreError.isInstance(null)).toBe(false)
    expect(CoreError.hasCode(new CoreError('TIMEOUT', 'slow'), 'TIMEOUT', 'UNAVAILABLE')).toBe(true)
    expect(CoreError.hasCode(new CoreError('TIMEOUT', 'slow'), 'NOT_FOUND')).toBe(false)
  })

  it('knows its codes', () => {
    expect(isErrorCode('QUOTA_EXCEEDED')).toBe(true)
    expect(isErrorCode('TEAPOT')).toBe(false)
  })
})
