import { describe, it } from 'vitest'
import { describeKnowledgeAcceptance } from './support/knowledge-acceptance-flow.js'
import { probeServices } from './support/test-database.js'
import { startDistributedTestPlatform } from './support/test-platform.js'

const services = await probeServices()
const title = 'knowledge bases over HTTP on PostgreSQL 15 and Redis (BullMQ worker)'

if (services.isAvailable) {
  describeKnowledgeAcceptance(title, (environment) => startDistributedTestPlatform(environment))
} else {
  describe(title, () => {
    it.skip(`skipped: ${services.reason}`, () => undefined)
  })
}
