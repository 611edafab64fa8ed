import { AsyncLocalStorage } from 'node:async_hooks'
import type { LogFields } from '@agentry/contracts'

/**
 * Fields that belong to the work in progress (a request, a job), added to every log line written
 * while it runs, whoever writes it (the host, the core, a library). `run` starts a scope for a
 * callback and everything it starts; `assign` adds fields to the current scope once they are known
 * (the company after authentication).
 */
export class LogContext {
  readonly #storage = new AsyncLocalStorage<Record<string, unknown>>()

  /** Runs `work` (and everything it starts) with `fields` on every log line; returns its result. */
  run<T>(fields: LogFields, work: () => T): T {
    return this.#storage.run({ ...fields }, work)
  }

  /** Adds fields to the current scope; does nothing outside one. */
  assign(fields: LogFields): void {
    const current = this.#storage.getStore()
    if (current) Object.assign(current, fields)
  }

  /** The current scope's fields; empty outside one. */
  fields(): Readonly<Record<string, unknown>> {
    return this.#storage.getStore() ?? EMPTY
  }
}

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({})
