import { describeBillingAcceptance } from './support/billing-acceptance-flow.js'
import { startDistributedTestPlatform } from './support/test-platform.js'

describeBillingAcceptance('billing over HTTP on PostgreSQL 15 and Redis', () =>
  startDistributedTestPlatform(),
)
