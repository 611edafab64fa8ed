import { expect } from 'vitest'
import { CoreError, type ErrorCode } from '../errors/core-error.js'

/**
 * Awaits `action` and asserts it rejected with a CoreError of `code`; returns the error for further
 * checks. Fails with the actual outcome when it resolved or threw something else.
 */
export async function expectCoreError(
  action: Promise<unknown> | (() => Promise<unknown>),
  code: ErrorCode,
): Promise<CoreError> {
  let outcome:
    | { readonly type: 'resolved'; readonly value: unknown }
    | { readonly type: 'rejected'; readonly error: unknown }
  try {
    const value = await (typeof action === 'function' ? action() : action)
    outcome = { type: 'resolved', value }
  } catch (error) {
    outcome = { type: 'rejected', error }
  }
  if (outcome.type === 'resolved') {
    expect.fail(`expected CoreError ${code}, but the call resolved with ${describe(outcome.value)}`)
  }
  const { error } = outcome
  if (!CoreError.isInstance(error)) {
    expect.fail(`expected CoreError ${code}, but it threw ${describe(error)}`)
  }
  expect(error.code, error.message).toBe(code)
  return error
}

function describe(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}
