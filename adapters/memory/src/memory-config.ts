import { z } from 'zod'

/** The memory adapter's config, as the host passes it to `createMemory`. Every field has a default. */
export const MemoryConfigSchema = z
  .object({
    /** Vector length of the vector store; must equal the embedding model's (local default 512). */
    vectorDimensions: z.number().int().min(1).max(16_000).default(512),
    queue: z
      .object({
        /** How long `close()` waits for running jobs after aborting their signals. */
        closeGraceMs: z.number().int().min(0).max(600_000).default(10_000),
        /** Completed and failed jobs kept for `get`, idempotency keys and `listFailed`. */
        maxFinishedJobs: z.number().int().min(1).max(10_000_000).default(10_000),
      })
      .strict()
      .prefault({}),
    keywordIndex: z
      .object({
        /** BM25 term-frequency saturation. */
        k1: z.number().min(0).max(10).default(1.2),
        /** BM25 length normalization, 0 (none) to 1 (full). */
        b: z.number().min(0).max(1).default(0.75),
      })
      .strict()
      .prefault({}),
  })
  .strict()

export type MemoryConfig = z.output<typeof MemoryConfigSchema>
export type MemoryConfigInput = z.input<typeof MemoryConfigSchema>
