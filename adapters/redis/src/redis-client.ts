import { once } from 'node:events'
import { CoreError } from '@agentry/contracts'
import { Redis, type RedisOptions } from 'ioredis'
import { toCoreError } from './redis-errors.js'

export interface RedisConnectionOptions {
  readonly url: string
  readonly connectTimeoutMs: number
  readonly commandTimeoutMs: number
  /** Connection errors ioredis reports in the background (it reconnects on its own). */
  readonly onError?: (error: unknown) => void
}

/** Reconnects forever, 100 ms doubling up to 2 s, so service resumes on its own when Redis returns. */
function reconnectDelay(times: number): number {
  return Math.min(50 * 2 ** Math.min(times, 6), 2_000)
}

/**
 * A connection for the request path (rate limits, locks, enqueueing): no offline queue and no
 * retries of in-flight commands, so a call fails at once with UNAVAILABLE while Redis is away
 * instead of hanging, and a command timeout bounds a server that stopped answering.
 */
export class SharedRedisClient {
  readonly client: Redis
  private users = 1
  private hasBeenReady = false
  private closed: Promise<void> | undefined
  private firstConnection: Promise<void> | undefined
  private readonly connectTimeoutMs: number

  constructor(options: RedisConnectionOptions, name: string) {
    this.connectTimeoutMs = options.connectTimeoutMs
    this.client = new Redis(options.url, {
      connectTimeout: options.connectTimeoutMs,
      commandTimeout: options.commandTimeoutMs,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: reconnectDelay,
      connectionName: name,
    })
    this.client.on('ready', () => {
      this.hasBeenReady = true
    })
    this.client.on('error', (error: unknown) => options.onError?.(error))
  }

  /** One more user; the connection closes when the last one releases it. */
  retain(): this {
    this.users += 1
    return this
  }

  async release(): Promise<void> {
    if (this.closed) return this.closed
    this.users -= 1
    if (this.users > 0) return
    this.closed = closeClient(this.client)
    return this.closed
  }

  /**
   * The client once it is connected. Before the first connection this waits up to the connect
   * timeout; after that, while ioredis reconnects, it fails at once with UNAVAILABLE.
   */
  async ready(action: string): Promise<Redis> {
    if (this.closed) {
      throw new CoreError('UNAVAILABLE', `The Redis adapter is closed (while ${action}): create a new one`, {
        isRetryable: false,
      })
    }
    if (this.client.status === 'ready') return this.client
    if (this.hasBeenReady) {
      throw toCoreError(new Error(`Connection is closed (status ${this.client.status})`), action)
    }
    this.firstConnection ??= this.waitForFirstConnection()
    try {
      await this.firstConnection
    } catch (error) {
      throw toCoreError(error, action)
    }
    return this.client
  }

  /** Shared by every call made before the first connection; after a failure the next call waits anew. */
  private async waitForFirstConnection(): Promise<void> {
    try {
      await once(this.client, 'ready', { signal: AbortSignal.timeout(this.connectTimeoutMs) })
    } catch (error) {
      this.firstConnection = undefined
      throw error instanceof Error && error.name === 'AbortError' ? new Error('ETIMEDOUT connecting') : error
    }
  }
}

/**
 * A connection for a BullMQ worker. BullMQ needs `maxRetriesPerRequest: null` here (its blocking
 * fetch must survive reconnects); it duplicates this client for the blocking connection.
 */
export function createWorkerClient(options: RedisConnectionOptions, name: string): Redis {
  const workerOptions: RedisOptions = {
    connectTimeout: options.connectTimeoutMs,
    maxRetriesPerRequest: null,
    retryStrategy: reconnectDelay,
    connectionName: name,
  }
  const client = new Redis(options.url, workerOptions)
  client.on('error', (error: unknown) => options.onError?.(error))
  return client
}

/** QUIT when connected (pending replies arrive first), otherwise drop the socket. */
export async function closeClient(client: Redis): Promise<void> {
  if (client.status === 'end') return
  if (client.status === 'ready') {
    try {
      await client.quit()
      return
    } catch {
      // fall through: the connection went away while quitting
    }
  }
  client.disconnect()
}
