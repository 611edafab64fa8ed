import type { Turn, TurnEvent, TurnResult } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'

/** A stored turn's result as the events a live run would have ended with (idempotent replay). */
export function* replayEvents(turn: Turn & { readonly result: TurnResult }): Generator<TurnEvent> {
  const { result } = turn
  yield { type: 'turn-start', turnId: result.turnId, sessionId: result.sessionId, agentId: result.agentId }
  for (const call of result.toolCalls) {
    yield { type: 'tool-call-start', id: call.id, name: call.name }
    yield {
      type: 'tool-result',
      id: call.id,
      name: call.name,
      status: call.status,
      durationMs: call.durationMs,
      ...(call.error ? { error: call.error } : {}),
    }
  }
  if (result.message.content !== '') yield { type: 'text-delta', delta: result.message.content }
  for (const citation of result.citations) yield { type: 'citation', citation }
  yield { type: 'usage', usage: result.usage }
  yield { type: 'turn-end', result }
}

/**
 * Reads a turn's events to the end and returns its result; throws the CoreError of an `error`
 * event. For callers that do not stream.
 */
export async function collectTurn(events: AsyncIterable<TurnEvent>): Promise<TurnResult> {
  for await (const event of events) {
    if (event.type === 'error') throw event.error
    if (event.type === 'turn-end') return event.result
  }
  throw new CoreError('INTERNAL', 'The turn ended without a result or an error event.')
}
