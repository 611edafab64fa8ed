import { CoreError } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { toCoreError } from './redis-errors.js'

describe('toCoreError', () => {
  it.each([
    ['Connection is closed.'],
    ["Stream isn't writeable and enableOfflineQueue options is false"],
    ['connect ECONNREFUSED 127.0.0.1:6379'],
    ['Command timed out'],
    ['LOADING Redis is loading the dataset in memory'],
    ["READONLY You can't write against a read only replica."],
    ["OOM command not allowed when used memory > 'maxmemory'."],
  ])('"%s" is a retryable UNAVAILABLE keeping the cause', (message) => {
    const cause = new Error(message)
    const error = toCoreError(cause, 'consuming tokens')
    expect(error).toMatchObject({ code: 'UNAVAILABLE', isRetryable: true, cause })
    expect(error.message).toContain('consuming tokens')
  })

  it('treats ioredis giving up on a command as UNAVAILABLE', () => {
    const cause = Object.assign(new Error('Reached the max retries per request limit (which is 0).'), {
      name: 'MaxRetriesPerRequestError',
    })
    expect(toCoreError(cause, 'x').code).toBe('UNAVAILABLE')
  })

  it('makes any other failure INTERNAL, not retryable', () => {
    const error = toCoreError(
      new Error('WRONGTYPE Operation against a key holding the wrong kind of value'),
      'x',
    )
    expect(error).toMatchObject({ code: 'INTERNAL', isRetryable: false })
  })

  it('passes CoreErrors through unchanged', () => {
    const original = new CoreError('TIMEOUT', 'waited too long')
    expect(toCoreError(original, 'x')).toBe(original)
  })

  it('never quotes the connection URL (it may carry a password)', () => {
    const error = toCoreError(new Error('connect ECONNREFUSED 10.0.0.5:6379'), 'reading a job')
    expect(error.message).not.toMatch(/redis:\/\//)
  })
})
