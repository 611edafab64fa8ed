/**
 * SDK clients by API key, least recently used dropped first, so each call does not build a client
 * (and its connection pool) again. Keys stay in memory only, as the clients hold them anyway.
 */
export class ClientCache<Client> {
  private readonly clients = new Map<string, Client>()

  constructor(
    private readonly capacity: number,
    private readonly build: (apiKey: string) => Client,
  ) {}

  get size(): number {
    return this.clients.size
  }

  get(apiKey: string): Client {
    const cached = this.clients.get(apiKey)
    if (cached !== undefined) {
      this.clients.delete(apiKey)
      this.clients.set(apiKey, cached)
      return cached
    }
    const client = this.build(apiKey)
    this.clients.set(apiKey, client)
    if (this.clients.size > this.capacity) {
      const oldest = this.clients.keys().next().value
      if (oldest !== undefined) this.clients.delete(oldest)
    }
    return client
  }
}
