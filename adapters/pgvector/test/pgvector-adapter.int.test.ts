import { describePgvectorAdapter } from './pgvector-adapter-checks.js'
import { describeOnServer, openServerPgvector, serverUnavailableReason } from './pgvector-test-database.js'

const reason = await serverUnavailableReason()

describeOnServer(reason, 'pgvector adapter on PostgreSQL 15', () => {
  describePgvectorAdapter('checks', () =>
    openServerPgvector({ dimensions: 4, keyword: { k1: 1.2, b: 0.75 } }),
  )
})
