import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { describe } from 'vitest'
import { type RedisConnectionOptions, SharedRedisClient } from '../src/redis-client.js'
import { type RedisQueueConfig, RedisQueueConfigSchema } from '../src/redis-config.js'
import { RedisJobQueue } from '../src/redis-job-queue.js'

/** The Redis of `scripts/services.sh` unless AGENTRY_TEST_REDIS_URL says otherwise. */
export const REDIS_URL = process.env.AGENTRY_TEST_REDIS_URL ?? 'redis://127.0.0.1:56379'
const IS_CI = process.env.CI === 'true'

async function isReachable(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  })
  client.on('error', () => undefined)
  try {
    await client.connect()
    return (await client.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    client.disconnect()
  }
}

const reachable = await isReachable(REDIS_URL)
if (!reachable && IS_CI) {
  throw new Error(
    `Redis is unreachable at ${REDIS_URL} and CI=true: integration tests must run (bash scripts/services.sh start)`,
  )
}

/**
 * `describe` when the test Redis answers; outside CI, a skip that says how to start it. In CI an
 * unreachable Redis fails the run above instead.
 */
export function describeWithRedis(title: string, body: () => void): void {
  if (reachable) describe(title, body)
  else describe.skip(`${title} (skipped: no Redis at ${REDIS_URL}; run bash scripts/services.sh start)`, body)
}

/** A key prefix of its own for one test file, so runs never see each other's keys. */
export function testPrefix(name: string): string {
  return `agentry-test:${name}:${randomUUID().slice(0, 8)}`
}

export function connectionOptions(url = REDIS_URL): RedisConnectionOptions {
  return { url, connectTimeoutMs: 2_000, commandTimeoutMs: 5_000 }
}

export function queueConfig(overrides: Partial<RedisQueueConfig> = {}): RedisQueueConfig {
  return { ...RedisQueueConfigSchema.parse({}), closeGraceMs: 5_000, ...overrides }
}

/** A job queue with a connection of its own (closed with the queue). */
export function makeJobQueue(
  prefix: string,
  overrides: Partial<RedisQueueConfig> = {},
  url = REDIS_URL,
): RedisJobQueue {
  const options = connectionOptions(url)
  return new RedisJobQueue({
    connection: new SharedRedisClient(options, `${prefix}:test`),
    connectionOptions: options,
    prefix,
    queue: queueConfig(overrides),
  })
}

/** Deletes every key under `prefix` (the cleanup of a test file). */
export async function deleteKeys(prefix: string, url = REDIS_URL): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 })
  try {
    let cursor = '0'
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
      cursor = next
      if (keys.length > 0) await client.unlink(...keys)
    } while (cursor !== '0')
  } finally {
    client.disconnect()
  }
}
