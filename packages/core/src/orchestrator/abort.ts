import { CoreError } from '@agentry/contracts'

/** A child of the caller's signal that also aborts after a timeout. */
export interface LinkedAbort {
  readonly signal: AbortSignal
  /**
   * Settles like `promise`, or rejects as soon as the signal aborts (a callee that ignores its
   * signal cannot hold the turn): `TIMEOUT` after the timeout, `CANCELLED` for the caller's abort.
   */
  race<T>(promise: Promise<T>): Promise<T>
  isTimedOut(): boolean
  /** The error `race` rejects with once aborted. */
  error(): CoreError
  dispose(): void
}

export function linkedAbort(
  parent: AbortSignal | undefined,
  timeoutMs: number | null,
  timeoutMessage = `Timed out after ${timeoutMs} ms.`,
): LinkedAbort {
  const controller = new AbortController()
  let timedOut = false
  const onParentAbort = () => controller.abort(parent?.reason)
  if (parent?.aborted) controller.abort(parent.reason)
  else parent?.addEventListener('abort', onParentAbort, { once: true })
  const timer =
    timeoutMs === null
      ? undefined
      : setTimeout(() => {
          timedOut = true
          controller.abort(new CoreError('TIMEOUT', timeoutMessage, { details: { timeoutMs } }))
        }, timeoutMs)
  const error = () => (timedOut ? (controller.signal.reason as CoreError) : cancelledError(controller.signal))
  return {
    signal: controller.signal,
    isTimedOut: () => timedOut,
    error,
    race<T>(promise: Promise<T>): Promise<T> {
      const signal = controller.signal
      if (signal.aborted) {
        promise.catch(() => {})
        return Promise.reject(error())
      }
      return new Promise<T>((resolve, reject) => {
        const onAbort = () => reject(error())
        signal.addEventListener('abort', onAbort, { once: true })
        promise.then(
          (value) => {
            signal.removeEventListener('abort', onAbort)
            resolve(value)
          },
          (reason: unknown) => {
            signal.removeEventListener('abort', onAbort)
            reject(signal.aborted ? error() : reason)
          },
        )
      })
    },
    dispose() {
      if (timer !== undefined) clearTimeout(timer)
      parent?.removeEventListener('abort', onParentAbort)
    },
  }
}

/** The caller's abort as a CoreError: its reason when that is one, else `CANCELLED`. */
export function cancelledError(signal: AbortSignal): CoreError {
  const reason: unknown = signal.reason
  if (CoreError.isInstance(reason)) return reason
  return new CoreError('CANCELLED', 'The turn was cancelled by the caller.', { cause: reason })
}

/** Any thrown value as a CoreError (non-CoreErrors become `INTERNAL`, the original kept as cause). */
export function toCoreError(error: unknown): CoreError {
  if (CoreError.isInstance(error)) return error
  const message = error instanceof Error ? error.message : String(error)
  return new CoreError('INTERNAL', `Unexpected error: ${message}`, { cause: error })
}
