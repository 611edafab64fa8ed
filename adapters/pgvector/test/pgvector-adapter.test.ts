import { basisVector, expectCoreError, newId } from '@agentry/contracts/testing'
import { createEmbeddedPostgres } from '@agentry/postgres'
import { describe, expect, it } from 'vitest'
import { createPgvector, pgvectorMigrations } from '../src/index.js'
import { describePgvectorAdapter } from './pgvector-adapter-checks.js'
import { openEmbeddedPgvector } from './pgvector-test-database.js'

describePgvectorAdapter('pgvector adapter on PGlite', () =>
  openEmbeddedPgvector({ dimensions: 4, keyword: { k1: 1.2, b: 0.75 } }),
)

describe('the schema check', () => {
  it('says to migrate when the tables are missing, and refuses another vector length', async () => {
    const database = await createEmbeddedPostgres({ dataDir: 'memory' })
    try {
      await database.migrate()
      const early = createPgvector(database, { dimensions: 4 })
      const missing = await expectCoreError(early.verify(), 'UNAVAILABLE')
      expect(missing.message).toContain('migrat')
      await expectCoreError(
        early.vectorStore.query({ filter: { companyId: newId() }, vector: basisVector(4, 0), topK: 1 }),
        'UNAVAILABLE',
      )
      await database.migrate({ modules: [pgvectorMigrations({ dimensions: 4 })] })
      await early.verify()
      const other = createPgvector(database, { dimensions: 8 })
      const wrong = await expectCoreError(other.verify(), 'INVALID_INPUT')
      expect(wrong.message).toContain('vector(4)')
      await expectCoreError(
        other.keywordIndex.search({ filter: { companyId: newId() }, text: 'x', topK: 1 }),
        'INVALID_INPUT',
      )
    } finally {
      await database.close()
    }
  })
})
