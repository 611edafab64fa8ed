import { z } from 'zod'

/** A PostgreSQL text search configuration name (`english`, `simple`, `german`, ...). */
const TEXT_SEARCH_CONFIG = /^[a-z_][a-z0-9_]{0,62}$/

export const PgvectorConfigSchema = z
  .object({
    /**
     * Length of every vector: the embedding model's dimensions. Fixed when the table is created
     * (`vector(n)`); HNSW indexes at most 2,000 dimensions.
     */
    dimensions: z.number().int().min(2).max(2000),
    hnsw: z
      .object({
        /** Graph degree; more is better recall and a bigger index. */
        m: z.number().int().min(2).max(100).default(16),
        /** Candidate list while building; more is a better graph and slower inserts. */
        efConstruction: z.number().int().min(4).max(1000).default(64),
        /** Candidate list while searching (`hnsw.ef_search`); at least `topK` is used. */
        efSearch: z.number().int().min(1).max(1000).default(100),
      })
      .strict()
      .prefault({}),
    keyword: z
      .object({
        /**
         * The text search configuration that turns text into terms, for documents and queries
         * alike (stemming, stop words). Changing it means re-indexing every document.
         */
        textSearchConfig: z
          .string()
          .regex(TEXT_SEARCH_CONFIG, 'a text search configuration name such as english or simple')
          .default('english'),
        /** BM25 term-frequency saturation. */
        k1: z.number().min(0).max(3).default(1.2),
        /** BM25 length normalisation (0 none, 1 full). */
        b: z.number().min(0).max(1).default(0.75),
      })
      .strict()
      .prefault({}),
  })
  .strict()

export type PgvectorConfig = z.output<typeof PgvectorConfigSchema>
export type PgvectorConfigInput = z.input<typeof PgvectorConfigSchema>
