import { describeAcceptance } from './support/acceptance-flow.js'
import { startTestPlatform } from './support/test-platform.js'

describeAcceptance('acceptance over HTTP on the embedded default (PGlite, in-process queue)', () =>
  startTestPlatform(),
)
