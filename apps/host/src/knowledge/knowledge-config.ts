import { z } from 'zod'
import type { KnowledgeConfig } from './knowledge-composition.js'

/** A number variable that may be unset or empty. */
const optionalNumber = (schema: z.ZodNumber) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === undefined || value === '' ? undefined : Number(value)))
    .pipe(schema.optional())

/**
 * The knowledge variables of the environment, spread into the host's schema (`loadConfig`).
 * The fusion defaults depend on the embedding model: the offline lexical model only breaks ties
 * between BM25 results (docs/knowledge.md has the measurements), a semantic model counts fully.
 */
export const KNOWLEDGE_ENVIRONMENT = {
  /** `local` (offline lexical embeddings) or `openai:<model>`, e.g. `openai:text-embedding-3-small`. */
  AGENTRY_EMBEDDING_MODEL: z
    .string()
    .trim()
    .regex(/^(?:local|openai:[A-Za-z0-9._-]{1,100})$/, 'must be local or openai:<model>')
    .default('local'),
  /** Vector length; fixed when the database is first migrated. Default 512 (local), 1536 (openai). */
  AGENTRY_EMBEDDING_DIMENSIONS: optionalNumber(z.number().int().min(8).max(2000)),
  /** Largest document (upload, text or URL) in bytes. */
  AGENTRY_KB_MAX_DOCUMENT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(512 * 1024 * 1024)
    .default(20 * 1024 * 1024),
  /** Weight of the vector list in the fusion; default 0.1 (local) or 1. */
  AGENTRY_KB_VECTOR_WEIGHT: optionalNumber(z.number().min(0).max(10)),
  /** Weight of the keyword (BM25) list in the fusion; default 1. */
  AGENTRY_KB_KEYWORD_WEIGHT: optionalNumber(z.number().min(0).max(10)),
  /** The k of reciprocal rank fusion; default 10 (local) or 60. */
  AGENTRY_KB_RRF_K: optionalNumber(z.number().int().min(1).max(1000)),
}

const KnowledgeEnvironmentSchema = z.object(KNOWLEDGE_ENVIRONMENT)

export type KnowledgeEnvironment = z.output<typeof KnowledgeEnvironmentSchema> & {
  readonly OPENAI_API_KEY?: string | undefined
  readonly OPENAI_BASE_URL?: string | undefined
}

/** Problems no single variable shows (an OpenAI model without a key), as `loadConfig` lists them. */
export function knowledgeProblems(env: KnowledgeEnvironment): { path: string; message: string }[] {
  if (env.AGENTRY_EMBEDDING_MODEL.startsWith('openai:') && !env.OPENAI_API_KEY) {
    return [{ path: 'AGENTRY_EMBEDDING_MODEL', message: 'an openai model needs OPENAI_API_KEY' }]
  }
  if (
    env.AGENTRY_KB_VECTOR_WEIGHT !== undefined &&
    env.AGENTRY_KB_KEYWORD_WEIGHT !== undefined &&
    env.AGENTRY_KB_VECTOR_WEIGHT + env.AGENTRY_KB_KEYWORD_WEIGHT <= 0
  ) {
    return [{ path: 'AGENTRY_KB_VECTOR_WEIGHT', message: 'the two fusion weights cannot both be 0' }]
  }
  return []
}

/** The knowledge part of the frozen config (call after `knowledgeProblems` found none). */
export function knowledgeConfig(env: KnowledgeEnvironment): KnowledgeConfig {
  const [provider, model] = env.AGENTRY_EMBEDDING_MODEL.split(':') as ['local' | 'openai', string?]
  const isLocal = provider === 'local'
  return {
    embedding: isLocal
      ? { provider, dimensions: env.AGENTRY_EMBEDDING_DIMENSIONS ?? 512 }
      : {
          provider,
          model: model ?? 'text-embedding-3-small',
          dimensions: env.AGENTRY_EMBEDDING_DIMENSIONS ?? 1536,
          apiKey: env.OPENAI_API_KEY ?? '',
          baseURL: env.OPENAI_BASE_URL,
        },
    maxDocumentBytes: env.AGENTRY_KB_MAX_DOCUMENT_BYTES,
    fusion: {
      vectorWeight: env.AGENTRY_KB_VECTOR_WEIGHT ?? (isLocal ? 0.1 : 1),
      keywordWeight: env.AGENTRY_KB_KEYWORD_WEIGHT ?? 1,
      rrfK: env.AGENTRY_KB_RRF_K ?? (isLocal ? 10 : 60),
    },
  }
}

/** The embedded default: what `loadConfig({})` gives. */
export const DEFAULT_KNOWLEDGE_CONFIG: KnowledgeConfig = knowledgeConfig(KnowledgeEnvironmentSchema.parse({}))
