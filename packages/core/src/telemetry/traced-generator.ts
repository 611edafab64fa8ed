import type { Span, Tracer } from '@agentry/contracts'

type Command = 'next' | 'return'
type Step<T, R> = { readonly result: IteratorResult<T, R> } | { readonly error: unknown }

/** A one-slot mailbox: `put` hands a value to the one `take` waiting (or the next one). */
class Slot<V> {
  #values: V[] = []
  #waiting: ((value: V) => void) | null = null

  put(value: V): void {
    const waiting = this.#waiting
    if (waiting) {
      this.#waiting = null
      waiting(value)
    } else this.#values.push(value)
  }

  take(): Promise<V> {
    const value = this.#values.shift()
    if (value !== undefined) return Promise.resolve(value)
    return new Promise((resolve) => {
      this.#waiting = resolve
    })
  }
}

/**
 * Runs an async generator inside a span, so that everything its body starts (model calls, tool
 * calls, retrieval) gets the span as parent. A generator's body normally runs in the async context
 * of whoever calls `next()`, which would put child spans beside the span instead of under it; here
 * the body is stepped from inside `tracer.span`, one step per `next()` of the caller, so pacing,
 * values, errors and early `return()` (which runs the body's `finally`) are exactly those of the
 * body itself. The span ends when the body finishes or is returned early.
 */
export async function* tracedGenerator<T, R>(
  tracer: Tracer,
  name: string,
  attributes: Readonly<Record<string, string | number | boolean>>,
  body: (span: Span) => AsyncGenerator<T, R, undefined>,
): AsyncGenerator<T, R, undefined> {
  const commands = new Slot<Command>()
  const steps = new Slot<Step<T, R>>()
  let isDone = false
  let hasReported = false
  const running = tracer.span(name, attributes, async (span) => {
    const iterator = body(span)
    for (;;) {
      const command = await commands.take()
      if (command === 'return') {
        await iterator.return(undefined as R)
        return
      }
      let result: IteratorResult<T, R>
      try {
        result = await iterator.next()
      } catch (error) {
        hasReported = true
        steps.put({ error })
        throw error
      }
      steps.put({ result })
      if (result.done) return
    }
  })
  // The body's errors reach the caller through `steps`; a tracer that fails before running the body
  // is reported the same way, so the caller never waits for a step that will not come.
  running.catch((error: unknown) => {
    if (!hasReported) steps.put({ error })
  })
  try {
    for (;;) {
      commands.put('next')
      const step = await steps.take()
      if ('error' in step) {
        isDone = true
        throw step.error
      }
      if (step.result.done) {
        isDone = true
        return step.result.value
      }
      yield step.result.value
    }
  } finally {
    if (isDone) await running.catch(() => undefined)
    else {
      // Stopped early: the body runs its `finally` (and its error, if any, reaches the caller).
      commands.put('return')
      await running
    }
  }
}
