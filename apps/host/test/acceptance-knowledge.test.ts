import { describeKnowledgeAcceptance } from './support/knowledge-acceptance-flow.js'
import { startTestPlatform } from './support/test-platform.js'

describeKnowledgeAcceptance(
  'knowledge bases over HTTP on the embedded default (PGlite, in-process queue)',
  (environment) => startTestPlatform(environment),
)
