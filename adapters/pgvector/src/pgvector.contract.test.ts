import { describeKeywordIndex, describeVectorStore } from '@agentry/contracts/testing'
import { afterAll, beforeAll } from 'vitest'
import { openEmbeddedPgvector, type TestPgvector } from '../test/pgvector-test-database.js'

// One PGlite for the file (it costs seconds to start); each kit writes under fresh companies.
let pgvector: TestPgvector
beforeAll(async () => {
  pgvector = await openEmbeddedPgvector({ dimensions: 16 })
})
afterAll(() => pgvector?.close())

describeVectorStore({
  name: 'PgvectorVectorStore on PGlite (16 dimensions)',
  create: () => pgvector.vectorStore,
  cleanup: () => undefined,
})
describeKeywordIndex({
  name: 'PgvectorKeywordIndex on PGlite',
  create: () => pgvector.keywordIndex,
  cleanup: () => undefined,
})
