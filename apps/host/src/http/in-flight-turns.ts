import { CoreError } from '@agentry/contracts'

/** One running turn: its signal aborts when the client leaves or shutdown runs out of grace. */
export interface TurnHandle {
  readonly signal: AbortSignal
  abort(reason: string): void
  finish(): void
}

/**
 * Counts the turns this process is running, so shutdown can wait for them (`drain`) instead of
 * cutting answers off. Once draining starts, new turns are refused with `UNAVAILABLE` (retryable).
 */
export class InFlightTurns {
  readonly #active = new Set<AbortController>()
  #isDraining = false
  #onIdle: (() => void) | null = null

  get size(): number {
    return this.#active.size
  }

  start(): TurnHandle {
    if (this.#isDraining) {
      throw new CoreError('UNAVAILABLE', 'The server is shutting down: retry on another instance shortly.', {
        retryAfterMs: 1000,
      })
    }
    const controller = new AbortController()
    this.#active.add(controller)
    return {
      signal: controller.signal,
      abort: (reason) => {
        if (!controller.signal.aborted) controller.abort(new CoreError('CANCELLED', reason))
      },
      finish: () => {
        this.#active.delete(controller)
        if (this.#active.size === 0) this.#onIdle?.()
      },
    }
  }

  /**
   * Refuses new turns and waits up to `graceMs` for running ones; then aborts what is left (those
   * turns end as `CANCELLED` and are stored as failed). Resolves true when every turn finished.
   */
  async drain(graceMs: number): Promise<boolean> {
    this.#isDraining = true
    if (this.#active.size === 0) return true
    const isIdle = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), graceMs)
      this.#onIdle = () => {
        clearTimeout(timer)
        resolve(true)
      }
    })
    this.#onIdle = null
    if (!isIdle) {
      for (const controller of this.#active) {
        controller.abort(new CoreError('CANCELLED', 'The server shut down before the turn finished.'))
      }
    }
    return isIdle
  }
}
