import { startToolPlatform } from './support/tool-platform.js'
import { describeToolsAcceptance } from './support/tools-acceptance-flow.js'

describeToolsAcceptance('acceptance: HTTP tools called from a chat turn (embedded: PGlite, in-process)', () =>
  startToolPlatform(),
)
