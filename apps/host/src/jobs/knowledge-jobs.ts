import { KB_INDEX_JOB } from '@agentry/core'
import type { JobHandlerDefinition } from './job-handlers.js'

/** Document indexing (`kb.index`): extract, chunk, embed, upsert vectors and keywords. */
export const knowledgeJobs: JobHandlerDefinition = {
  kind: KB_INDEX_JOB,
  concurrency: 2,
  create: (composition) => composition.knowledge.indexer.handle,
}
