export interface ServerSentEvent {
  readonly event: string
  readonly data: unknown
}

/** Parses a `text/event-stream` body into events (comments and keep-alives skipped). */
export function parseServerSentEvents(text: string): ServerSentEvent[] {
  const events: ServerSentEvent[] = []
  for (const block of text.split('\n\n')) {
    let event = 'message'
    const dataLines: string[] = []
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice('event: '.length)
      else if (line.startsWith('data: ')) dataLines.push(line.slice('data: '.length))
    }
    if (dataLines.length > 0) events.push({ event, data: JSON.parse(dataLines.join('\n')) })
  }
  return events
}
