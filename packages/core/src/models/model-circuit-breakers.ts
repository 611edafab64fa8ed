import type { ModelReference } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import {
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  CountBreaker,
  circuitBreaker,
  handleWhen,
  type IBreaker,
  isBrokenCircuitError,
} from 'cockatiel'

export interface CircuitBreakerOptions {
  /** Opens after this many failures in a row. Default 5. */
  readonly consecutiveFailures: number
  /** Or when more than this share (0..1) of the last `windowSize` calls failed. Default 0.5. */
  readonly failureRatio: number
  /** Calls the ratio looks at. Default 20. */
  readonly windowSize: number
  /** The ratio counts only once this many calls are in the window. Default 10. */
  readonly minimumCalls: number
  /** Open this long, then one trial call decides (half-open). Default 30 s. */
  readonly cooldownMs: number
}

export const DEFAULT_CIRCUIT_BREAKER: CircuitBreakerOptions = {
  consecutiveFailures: 5,
  failureRatio: 0.5,
  windowSize: 20,
  minimumCalls: 10,
  cooldownMs: 30_000,
}

/** Breakers kept at most; model names come from agent configs, so the map is bounded. */
const MAX_BREAKERS = 1000

export type BreakerState = 'closed' | 'open' | 'half-open'

/**
 * Whether a failure says the provider is unhealthy: `UNAVAILABLE` and `TIMEOUT`. Rate limits are
 * not: they belong to one key (a company's own, with bring-your-own-key) and are handled by waiting
 * the provider's retry-after, so one busy company cannot open the breaker for every other.
 */
export function countsAgainstBreaker(error: unknown): boolean {
  return CoreError.hasCode(error, 'UNAVAILABLE', 'TIMEOUT') && !isOpenCircuitError(error)
}

const openCircuitErrors = new WeakSet<CoreError>()

/** True for the `UNAVAILABLE` an open breaker fails with (retrying the same model cannot help). */
export function isOpenCircuitError(error: unknown): boolean {
  return CoreError.isInstance(error) && openCircuitErrors.has(error)
}

/**
 * One circuit breaker per provider and model (cockatiel's), shared by every turn and company that
 * uses this instance. Open: calls fail fast with `UNAVAILABLE` naming the model and when calls
 * resume; after the cool-down one trial call goes through (others wait for its outcome): success
 * closes the breaker, failure opens it again.
 */
export class ModelCircuitBreakers {
  readonly options: CircuitBreakerOptions
  readonly #breakers = new Map<string, ModelBreaker>()

  constructor(options: Partial<CircuitBreakerOptions> = {}) {
    this.options = { ...DEFAULT_CIRCUIT_BREAKER, ...options }
  }

  /** Runs `work` through the model's breaker. */
  execute<T>(reference: ModelReference, work: () => Promise<T>): Promise<T> {
    return this.#breaker(reference).execute(work)
  }

  state(reference: ModelReference): BreakerState {
    const breaker = this.#breakers.get(keyOf(reference))
    if (!breaker) return 'closed'
    const state = breaker.policy.state
    if (state === CircuitState.Closed) return 'closed'
    return state === CircuitState.HalfOpen ? 'half-open' : 'open'
  }

  #breaker(reference: ModelReference): ModelBreaker {
    const key = keyOf(reference)
    const existing = this.#breakers.get(key)
    if (existing) return existing
    if (this.#breakers.size >= MAX_BREAKERS) this.#forgetOneClosed()
    const created = new ModelBreaker(reference, this.options)
    this.#breakers.set(key, created)
    return created
  }

  #forgetOneClosed(): void {
    for (const [key, breaker] of this.#breakers) {
      if (breaker.policy.state === CircuitState.Closed) {
        this.#breakers.delete(key)
        return
      }
    }
  }
}

class ModelBreaker {
  readonly policy: CircuitBreakerPolicy
  readonly #reference: ModelReference
  readonly #cooldownMs: number
  #openedAt = 0
  #lastFailure: CoreError | null = null

  constructor(reference: ModelReference, options: CircuitBreakerOptions) {
    this.#reference = reference
    this.#cooldownMs = options.cooldownMs
    this.policy = circuitBreaker(handleWhen(countsAgainstBreaker), {
      halfOpenAfter: options.cooldownMs,
      breaker: new ConsecutiveOrRatioBreaker(options),
    })
    this.policy.onBreak((reason) => {
      // The same clock cockatiel decides the cool-down with.
      this.#openedAt = Date.now()
      if ('error' in reason && CoreError.isInstance(reason.error)) this.#lastFailure = reason.error
    })
  }

  async execute<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await this.policy.execute(work)
    } catch (error) {
      if (isBrokenCircuitError(error)) throw this.#openError(error)
      throw error
    }
  }

  #openError(cause: unknown): CoreError {
    const { provider, model } = this.#reference
    const resumesAt = this.#openedAt + this.#cooldownMs
    const waitMs = Math.max(0, resumesAt - Date.now())
    const last = this.#lastFailure ? ` (last: ${this.#lastFailure.code})` : ''
    const error = new CoreError(
      'UNAVAILABLE',
      `Model ${provider}/${model} is failing${last}, so its circuit breaker is open: calls resume at ${new Date(resumesAt).toISOString()} (in ${Math.ceil(waitMs / 1000)} s). Add model.fallbacks to the agent config to use another model meanwhile.`,
      {
        cause,
        retryAfterMs: waitMs,
        details: { provider, model, circuit: 'open', resumesAt: new Date(resumesAt).toISOString() },
      },
    )
    openCircuitErrors.add(error)
    return error
  }
}

/** Opens after `consecutiveFailures` in a row, or when the failure ratio of the window is exceeded. */
class ConsecutiveOrRatioBreaker implements IBreaker {
  readonly #consecutive: ConsecutiveBreaker
  readonly #ratio: CountBreaker

  constructor(options: CircuitBreakerOptions) {
    this.#consecutive = new ConsecutiveBreaker(options.consecutiveFailures)
    this.#ratio = new CountBreaker({
      threshold: options.failureRatio,
      size: options.windowSize,
      minimumNumberOfCalls: Math.min(options.minimumCalls, options.windowSize),
    })
  }

  get state(): unknown {
    return { consecutive: this.#consecutive.state, ratio: this.#ratio.state }
  }

  set state(value: unknown) {
    const state = value as { consecutive: number; ratio: unknown }
    this.#consecutive.state = state.consecutive
    this.#ratio.state = state.ratio
  }

  success(state: CircuitState): void {
    this.#consecutive.success()
    this.#ratio.success(state)
  }

  failure(state: CircuitState): boolean {
    const inRow = this.#consecutive.failure()
    const byRatio = this.#ratio.failure(state)
    return inRow || byRatio
  }
}

function keyOf(reference: ModelReference): string {
  return `${reference.provider}/${reference.model}`
}
