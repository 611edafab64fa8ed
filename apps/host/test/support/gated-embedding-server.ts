import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** An embeddings request the server holds: who sent it and the titles of the documents in it. */
export interface HeldRequest {
  readonly client: string
  /** The first line of each input: the document title the indexer puts before each chunk. */
  readonly titles: readonly string[]
}

interface Pending extends HeldRequest {
  readonly response: ServerResponse
  readonly answer: () => void
}

const EMBEDDINGS_PATH = /^\/([A-Za-z0-9-]+)\/v1\/embeddings$/

/**
 * A local OpenAI-compatible embeddings endpoint (`POST /<client>/v1/embeddings`) for processes
 * started with `AGENTRY_EMBEDDING_MODEL=openai:...` and `OPENAI_BASE_URL=<baseUrl(client)>`. Each
 * process gets its own client name in the path, so the test knows which process asked. Vectors
 * are a deterministic hashed bag of words. A closed gate holds a client's requests unanswered:
 * the indexing job that sent one is provably in flight until the gate opens (or its process dies).
 */
export class GatedEmbeddingServer {
  readonly #server: Server
  readonly #closedGates = new Set<string>()
  readonly #held: Pending[] = []
  readonly #listeners = new Set<() => void>()
  /** Every request answered, in order. */
  readonly answered: HeldRequest[] = []

  private constructor(server: Server) {
    this.#server = server
  }

  static async start(): Promise<GatedEmbeddingServer> {
    let instance: GatedEmbeddingServer | undefined
    const server = createServer((request, response) => {
      instance?.handle(request, response).catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'application/json' })
        response.end(JSON.stringify({ error: { message: String(error) } }))
      })
    })
    instance = new GatedEmbeddingServer(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return instance
  }

  /** The `OPENAI_BASE_URL` for one process. */
  baseUrl(client: string): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/${client}/v1`
  }

  /** From now on, `client`'s requests wait unanswered. */
  closeGate(client: string): void {
    this.#closedGates.add(client)
  }

  /** Answers `client`'s held requests (those whose sender is still connected) and lets later ones through. */
  openGate(client: string): void {
    this.#closedGates.delete(client)
    for (const pending of this.#held.filter((item) => item.client === client)) {
      this.#held.splice(this.#held.indexOf(pending), 1)
      if (!pending.response.destroyed) pending.answer()
    }
  }

  /** The requests of `client` held right now. */
  held(client: string): HeldRequest[] {
    return this.#held
      .filter((item) => item.client === client)
      .map(({ client: from, titles }) => ({ client: from, titles }))
  }

  /** Resolves once at least `count` requests of `client` are held. */
  waitForHeld(client: string, count: number, timeoutMs = 30_000): Promise<HeldRequest[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.held(client).length < count) return
        clearTimeout(timer)
        this.#listeners.delete(check)
        resolve(this.held(client))
      }
      const timer = setTimeout(() => {
        this.#listeners.delete(check)
        reject(new Error(`${client} had ${this.held(client).length} embedding request(s) held, not ${count}`))
      }, timeoutMs)
      this.#listeners.add(check)
      check()
    })
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const client = EMBEDDINGS_PATH.exec(request.url ?? '')?.[1]
    if (request.method !== 'POST' || client === undefined) {
      response.writeHead(404).end()
      return
    }
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      model: string
      input: string[]
      dimensions?: number
    }
    const titles = body.input.map((text) => text.split('\n', 1)[0] ?? '')
    const answer = () => {
      this.answered.push({ client, titles })
      const data = body.input.map((text, index) => ({
        object: 'embedding',
        index,
        embedding: hashedVector(text, body.dimensions ?? 64),
      }))
      const tokens = body.input.reduce((sum, text) => sum + words(text).length, 0)
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(
        JSON.stringify({
          object: 'list',
          data,
          model: body.model,
          usage: { prompt_tokens: tokens, total_tokens: tokens },
        }),
      )
    }
    if (!this.#closedGates.has(client)) {
      answer()
      return
    }
    this.#held.push({ client, titles, response, answer })
    for (const listener of [...this.#listeners]) listener()
  }
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+/g) ?? []
}

/** A unit vector of hashed word counts (FNV-1a), the same for the same text in every process. */
function hashedVector(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0)
  for (const word of words(text)) {
    let hash = 0x811c9dc5
    for (let index = 0; index < word.length; index++) {
      hash = Math.imul(hash ^ word.charCodeAt(index), 0x01000193)
    }
    const bucket = (hash >>> 0) % dimensions
    vector[bucket] = (vector[bucket] ?? 0) + 1
  }
  const norm = Math.hypot(...vector)
  if (norm === 0) return vector.map((_, index) => (index === 0 ? 1 : 0))
  return vector.map((value) => value / norm)
}
