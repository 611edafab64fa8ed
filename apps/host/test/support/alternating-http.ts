import type { Injector, InjectRequest, InjectResponse } from './test-api.js'

/**
 * An `Injector` for `TestApi` that sends each request over real HTTP to the next of several API
 * processes in turn (round robin), so consecutive steps of a flow land on different processes.
 * `counts` says how many requests each base URL got.
 */
export class AlternatingHttp implements Injector {
  readonly baseUrls: readonly string[]
  readonly counts: number[]
  #next = 0

  constructor(baseUrls: readonly string[]) {
    if (baseUrls.length === 0) throw new Error('AlternatingHttp needs at least one base URL')
    this.baseUrls = baseUrls
    this.counts = baseUrls.map(() => 0)
  }

  /** A client fixed on one process, for steps that must reach a given one. */
  only(index: number): Injector {
    return { inject: (request) => send(this.#base(index), request) }
  }

  inject(request: InjectRequest): Promise<InjectResponse> {
    const index = this.#next
    this.#next = (this.#next + 1) % this.baseUrls.length
    return send(this.#base(index), request)
  }

  #base(index: number): string {
    const base = this.baseUrls[index]
    if (base === undefined) throw new Error(`no API process number ${index}`)
    this.counts[index] = (this.counts[index] ?? 0) + 1
    return base
  }
}

async function send(base: string, request: InjectRequest): Promise<InjectResponse> {
  const response = await fetch(`${base}${request.url}`, {
    method: request.method,
    headers: request.headers,
    ...(request.payload === undefined ? {} : { body: request.payload }),
  })
  const body = await response.text()
  const headers: Record<string, string> = {}
  response.headers.forEach((value, name) => {
    headers[name] = value
  })
  return { statusCode: response.status, headers, body, json: () => JSON.parse(body) as unknown }
}
