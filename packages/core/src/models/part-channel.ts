import { CoreError } from '@agentry/contracts'
import { cancelledError } from '../orchestrator/abort.js'

type Settled<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: unknown }

interface Queued<T> {
  readonly part: T
  readonly taken: () => void
  readonly dropped: (error: CoreError) => void
}

/**
 * Hands parts from work that runs as a promise (a model call inside retry and breaker policies,
 * which take functions, not generators) to an async generator, one at a time: `send` waits until
 * the generator has taken the part, so a slow reader slows the model stream down, not memory.
 */
export class PartChannel<T> {
  readonly #queue: Queued<T>[] = []
  #wake: (() => void) | null = null
  #closed: CoreError | null = null

  /** Queues a part; resolves once the reader took it, rejects with `CANCELLED` if it stopped reading. */
  send(part: T): Promise<void> {
    if (this.#closed) return Promise.reject(this.#closed)
    return new Promise((resolve, reject) => {
      this.#queue.push({ part, taken: resolve, dropped: reject })
      this.#wake?.()
    })
  }

  /** Queues a part without waiting for the reader. */
  post(part: T): void {
    this.send(part).catch(() => {})
  }

  /**
   * Yields the parts sent while `work` runs, then returns its value or throws its error. Parts
   * sent before `work` settled are all yielded first. The caller's abort ends the wait at once
   * with `CANCELLED` (work that ignores it is left behind, its outcome dropped).
   */
  async *drain<R>(work: Promise<R>, signal?: AbortSignal): AsyncGenerator<T, R, undefined> {
    let settled: Settled<R> | null = null
    void work.then(
      (value) => {
        settled = { ok: true, value }
        this.#wake?.()
      },
      (error: unknown) => {
        settled = { ok: false, error }
        this.#wake?.()
      },
    )
    try {
      for (;;) {
        const next = this.#queue.shift()
        if (next) {
          next.taken()
          yield next.part
          continue
        }
        const outcome = settled as Settled<R> | null
        if (outcome) {
          if (outcome.ok) return outcome.value
          throw outcome.error
        }
        await this.#nextEvent(signal)
      }
    } finally {
      this.close()
    }
  }

  /** Stops the channel: queued and later sends reject with `CANCELLED`. */
  close(): void {
    if (this.#closed) return
    this.#closed = new CoreError('CANCELLED', 'The reader of the model call stopped.')
    for (const queued of this.#queue.splice(0)) queued.dropped(this.#closed)
  }

  #nextEvent(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancelledError(signal))
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.#wake = null
        if (signal) reject(cancelledError(signal))
      }
      this.#wake = () => {
        this.#wake = null
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }
}
