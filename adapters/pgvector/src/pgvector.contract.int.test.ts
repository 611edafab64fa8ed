import { describeKeywordIndex, describeVectorStore } from '@agentry/contracts/testing'
import { afterAll, beforeAll } from 'vitest'
import {
  describeOnServer,
  openServerPgvector,
  serverUnavailableReason,
  type TestPgvector,
} from '../test/pgvector-test-database.js'

const reason = await serverUnavailableReason()

describeOnServer(reason, 'pgvector on PostgreSQL 15', () => {
  let pgvector: TestPgvector
  beforeAll(async () => {
    pgvector = await openServerPgvector({ dimensions: 16 })
  })
  afterAll(() => pgvector?.close())

  describeVectorStore({
    name: 'PgvectorVectorStore on PostgreSQL (16 dimensions)',
    create: () => pgvector.vectorStore,
    cleanup: () => undefined,
  })
  describeKeywordIndex({
    name: 'PgvectorKeywordIndex on PostgreSQL',
    create: () => pgvector.keywordIndex,
    cleanup: () => undefined,
  })
})
