import { z } from 'zod'
import { TOKENIZER_ENCODINGS } from './gpt-tokenizer.js'

export const TokenizerConfigSchema = z
  .object({
    /** `o200k_base` (GPT-4o and later) or `cl100k_base` (GPT-4, GPT-3.5). */
    encoding: z.enum(TOKENIZER_ENCODINGS).default('o200k_base'),
  })
  .strict()

export const ScriptedChatModelConfigSchema = z
  .object({
    /** Waited before every reply, for demos and benchmarks. */
    latencyMs: z.number().int().min(0).max(600_000).default(0),
    /** Waited between streamed parts, to make streaming visible. */
    chunkDelayMs: z.number().int().min(0).max(60_000).default(0),
  })
  .strict()

export const LexicalEmbeddingConfigSchema = z
  .object({
    /** Vector length; every vector stored for one knowledge base must use the same. */
    dimensions: z.number().int().min(8).max(8192).default(512),
    maxBatchSize: z.number().int().min(1).max(4096).default(256),
  })
  .strict()

/** The whole local adapter's config, as the host passes it to `createLocal`. */
export const LocalConfigSchema = z
  .object({
    tokenizer: TokenizerConfigSchema.prefault({}),
    chat: ScriptedChatModelConfigSchema.prefault({}),
    embedding: LexicalEmbeddingConfigSchema.prefault({}),
  })
  .strict()

export type TokenizerConfig = z.input<typeof TokenizerConfigSchema>
export type ScriptedChatModelConfig = z.input<typeof ScriptedChatModelConfigSchema>
export type LexicalEmbeddingConfig = z.input<typeof LexicalEmbeddingConfigSchema>
export type LocalConfig = z.input<typeof LocalConfigSchema>
