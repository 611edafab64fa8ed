export interface WaitUntilOptions {
  /** Give up after this long; generous by default so slow machines and real services pass. */
  readonly timeoutMs?: number
  readonly intervalMs?: number
  /** Says what was awaited when the wait gives up. */
  readonly message?: string
}

/**
 * Polls `probe` until it returns a truthy value and returns that value. Kits wait for outcomes this
 * way instead of sleeping a fixed time, so they hold on real services as well as in process.
 */
export async function waitUntil<T>(
  probe: () => T | Promise<T>,
  options: WaitUntilOptions = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000)
  const intervalMs = options.intervalMs ?? 10
  for (;;) {
    const value = await probe()
    if (value) return value as NonNullable<T>
    if (Date.now() > deadline) {
      throw new Error(
        `waitUntil gave up after ${options.timeoutMs ?? 10_000} ms: ${options.message ?? 'condition never held'}`,
      )
    }
    await sleep(intervalMs)
  }
}

/** A real delay, for letting a TTL or a backoff pass; never to wait for an outcome. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
