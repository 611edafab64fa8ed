import { type CallOptions, CoreError } from '@agentry/contracts'

/** Throws CoreError `CANCELLED` when the call's signal is already aborted. */
export function throwIfAborted(options: CallOptions | undefined, what: string): void {
  if (options?.signal?.aborted) {
    throw new CoreError('CANCELLED', `${what} was cancelled before it started`, {
      cause: options.signal.reason,
    })
  }
}
