import { describe, it } from 'vitest'
import { describeAcceptance } from './support/acceptance-flow.js'
import { probeServices } from './support/test-database.js'
import { startDistributedTestPlatform } from './support/test-platform.js'

const services = await probeServices()

if (services.isAvailable) {
  describeAcceptance('acceptance over HTTP on PostgreSQL 15 and Redis', () => startDistributedTestPlatform())
} else {
  describe('acceptance over HTTP on PostgreSQL 15 and Redis', () => {
    it.skip(`skipped: ${services.reason}`, () => undefined)
  })
}
