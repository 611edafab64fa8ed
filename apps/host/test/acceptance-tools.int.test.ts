import { randomBytes } from 'node:crypto'
import { describe, it } from 'vitest'
import {
  createTestDatabase,
  probeServices,
  TEST_REDIS_URL,
  testRedisPrefix,
} from './support/test-database.js'
import { startToolPlatform } from './support/tool-platform.js'
import { describeToolsAcceptance } from './support/tools-acceptance-flow.js'

const services = await probeServices()
const title = 'acceptance: HTTP tools called from a chat turn (PostgreSQL 15, Redis)'

if (services.isAvailable) {
  describeToolsAcceptance(title, async () => {
    const database = await createTestDatabase()
    try {
      return await startToolPlatform(
        {
          DATABASE_URL: database.url,
          REDIS_URL: TEST_REDIS_URL,
          AGENTRY_REDIS_PREFIX: testRedisPrefix(),
          AGENTRY_JWT_SECRET: 'integration-test-secret-0123456789abcdef',
          AGENTRY_MASTER_KEY: randomBytes(32).toString('base64'),
        },
        () => database.drop(),
      )
    } catch (error) {
      await database.drop()
      throw error
    }
  })
} else {
  describe(title, () => {
    it.skip(`skipped: ${services.reason}`, () => undefined)
  })
}
