import { CoreError } from '@agentry/contracts'

/** The CoreError every local model throws when its caller aborts. */
export function cancelledError(signal: AbortSignal): CoreError {
  return new CoreError('CANCELLED', 'The call was cancelled by its caller (the AbortSignal fired).', {
    cause: signal.reason,
  })
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError(signal)
}

/** Waits `milliseconds` (none for 0), rejecting with `CANCELLED` as soon as `signal` aborts. */
export function abortableDelay(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  throwIfAborted(signal)
  if (milliseconds <= 0) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer)
      reject(cancelledError(signal as AbortSignal))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, milliseconds)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
