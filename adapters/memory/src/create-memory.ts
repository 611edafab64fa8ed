import { type Clock, CoreError, type IdGenerator, type Stores, zodIssues } from '@agentry/contracts'
import { type MemoryConfig, type MemoryConfigInput, MemoryConfigSchema } from './memory-config.js'
import { MemoryJobQueue } from './memory-job-queue.js'
import { MemoryKeywordIndex } from './memory-keyword-index.js'
import { MemoryLock } from './memory-lock.js'
import { MemoryRateLimiter } from './memory-rate-limiter.js'
import { createMemoryStores } from './memory-stores.js'
import { MemoryVectorStore } from './memory-vector-store.js'

export interface MemoryDependencies {
  /** Time for job timestamps and token buckets; the wall clock by default. */
  readonly clock?: Clock
  /** Job ids; UUIDv7 by default. */
  readonly ids?: IdGenerator
}

export interface MemoryAdapters {
  readonly config: MemoryConfig
  readonly stores: Stores
  readonly vectorStore: MemoryVectorStore
  readonly keywordIndex: MemoryKeywordIndex
  readonly queue: MemoryJobQueue
  readonly lock: MemoryLock
  readonly rateLimiter: MemoryRateLimiter
  /** Closes the queue first (its running jobs may still write), then everything else. Idempotent. */
  close(): Promise<void>
}

/** Parses a config (throws CoreError INVALID_INPUT listing every problem) and fills in defaults. */
export function parseMemoryConfig(input: MemoryConfigInput = {}): MemoryConfig {
  const parsed = MemoryConfigSchema.safeParse(input)
  if (!parsed.success) {
    const issues = zodIssues(parsed.error)
    const summary = issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ')
    throw new CoreError('INVALID_INPUT', `Invalid memory adapter config: ${summary}`, { details: { issues } })
  }
  return parsed.data
}

/**
 * Every in-process adapter for one process: stores, vector store, keyword index, job queue, lock
 * and rate limiter. For the embedded runtime and for tests; nothing is durable or shared between
 * processes.
 */
export function createMemory(
  input: MemoryConfigInput = {},
  dependencies: MemoryDependencies = {},
): MemoryAdapters {
  const config = parseMemoryConfig(input)
  const stores = createMemoryStores()
  const vectorStore = new MemoryVectorStore({ dimensions: config.vectorDimensions })
  const keywordIndex = new MemoryKeywordIndex(config.keywordIndex)
  const queue = new MemoryJobQueue({ ...config.queue, ...dependencies })
  const lock = new MemoryLock()
  const rateLimiter = new MemoryRateLimiter({ clock: dependencies.clock })
  let closing: Promise<void> | undefined
  const closeAll = async () => {
    await queue.close()
    await Promise.all([
      lock.close(),
      rateLimiter.close(),
      vectorStore.close(),
      keywordIndex.close(),
      stores.close(),
    ])
  }
  return {
    config,
    stores,
    vectorStore,
    keywordIndex,
    queue,
    lock,
    rateLimiter,
    close: () => {
      closing ??= closeAll()
      return closing
    },
  }
}
