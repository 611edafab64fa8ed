import type { Stores } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'

export interface RecordedStores {
  /** The same stores; every method call is recorded as `store.method` (e.g. `turns.load`). */
  readonly stores: Stores
  readonly calls: string[]
  /** Calls named here (`turns.commit`) fail with `UNAVAILABLE`, as if the database went away. */
  readonly failing: Set<string>
  reset(): void
}

/**
 * Wraps every store so tests can see which calls a piece of work makes: the store call shape of a
 * turn (one load, one commit) is a contract the Postgres adapter's round-trip budget relies on.
 */
export function recordStoreCalls(target: Stores): RecordedStores {
  const calls: string[] = []
  const failing = new Set<string>()
  const wrappers = new Map<string, unknown>()
  const wrap = (name: string, store: object) =>
    new Proxy(store, {
      get(inner, property) {
        const value: unknown = Reflect.get(inner, property, inner)
        if (typeof value !== 'function') return value
        return (...args: unknown[]) => {
          const call = `${name}.${String(property)}`
          calls.push(call)
          if (failing.has(call))
            return Promise.reject(new CoreError('UNAVAILABLE', `${call} failed on purpose.`))
          return (value as (...parameters: unknown[]) => unknown).apply(inner, args)
        }
      },
    })
  const stores = new Proxy(target, {
    get(inner, property) {
      const value: unknown = Reflect.get(inner, property, inner)
      if (typeof property !== 'string') return value
      if (typeof value === 'function') {
        return (...args: unknown[]) => {
          calls.push(property)
          return (value as (...parameters: unknown[]) => unknown).apply(inner, args)
        }
      }
      if (typeof value !== 'object' || value === null) return value
      let wrapper = wrappers.get(property)
      if (!wrapper) {
        wrapper = wrap(property, value)
        wrappers.set(property, wrapper)
      }
      return wrapper
    },
  })
  return {
    stores,
    calls,
    failing,
    reset() {
      calls.length = 0
    },
  }
}
