export type {
  ChatModelKitCall,
  ChatModelKitOptions,
  ChatModelKitScenarios,
  ChatModelScenario,
} from './chat-model-kit.js'
export { CHAT_MODEL_SCENARIOS, describeChatModel } from './chat-model-kit.js'
export type { EmbeddingModelKitOptions } from './embedding-model-kit.js'
export { describeEmbeddingModel } from './embedding-model-kit.js'
export { expectCoreError } from './expect-core-error.js'
export {
  emptyUsageSummary,
  makeAgent,
  makeAgentVersion,
  makeApiKey,
  makeAuditEntry,
  makeChunk,
  makeCompany,
  makeDocument,
  makeInvoice,
  makeKnowledgeBase,
  makeMessage,
  makePriceBook,
  makeQuota,
  makeSecret,
  makeSession,
  makeTenant,
  makeTool,
  makeToolCall,
  makeTurn,
  makeUsageEvent,
  makeUser,
  newId,
} from './fixtures.js'
export { describeJobQueue } from './job-queue-kit.js'
export { describeKeywordIndex } from './keyword-index-kit.js'
export type { KitOptions, KitSkip } from './kit-options.js'
export { kitTest } from './kit-test.js'
export {
  basisVector,
  blendVector,
  cosine,
  randomUnitVector,
  seededRandom,
  vectorNear,
} from './kit-vectors.js'
export { describeLock } from './lock-kit.js'
export { describeRateLimiter } from './rate-limiter-kit.js'
export type {
  RecordedRequest,
  ReplayChunk,
  ReplayResponder,
  ReplayResponse,
  ReplayServer,
} from './replay-server.js'
export { splitServerSentEvents, startReplayServer, toServerSentEvents } from './replay-server.js'
export { describeStores } from './stores/index.js'
export type { StoreKit } from './stores/store-kit-context.js'
export { describeVectorStore } from './vector-store-kit.js'
export type { WaitUntilOptions } from './wait-until.js'
export { sleep, waitUntil } from './wait-until.js'
