import { CoreError, isUuid } from '@agentry/contracts'

/** Kinds are BullMQ queue names: `kb.index`, `billing.monthly`, `workflow.<name>`. */
const KIND = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/

/** Ids this adapter makes: UUIDs, and `repeat:<scheduleId>:<time>` for scheduled jobs. */
export function isJobIdShape(id: unknown): boolean {
  return isUuid(id) || (typeof id === 'string' && /^repeat:[^\s]{1,300}$/.test(id))
}

export function checkKind(kind: string): void {
  if (typeof kind !== 'string' || !KIND.test(kind)) {
    throw new CoreError(
      'INVALID_INPUT',
      `Job kind "${String(kind)}" is not valid: use letters, digits, '.', '_' and '-' (e.g. kb.index), at most 128`,
    )
  }
}

export function checkCount(value: number, name: string, minimum: number): number {
  if (!Number.isInteger(value) || value < minimum) {
    throw new CoreError('INVALID_INPUT', `${name} must be an integer of at least ${minimum} (got ${value})`)
  }
  return value
}

export function closedError(action: string): CoreError {
  return new CoreError('UNAVAILABLE', `The job queue is closed (while ${action}): create a new one`, {
    isRetryable: false,
  })
}
