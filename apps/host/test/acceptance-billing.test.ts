import { describeBillingAcceptance } from './support/billing-acceptance-flow.js'
import { startTestPlatform } from './support/test-platform.js'

describeBillingAcceptance('billing over HTTP on the embedded default (PGlite, in-process queue)', () =>
  startTestPlatform(),
)
