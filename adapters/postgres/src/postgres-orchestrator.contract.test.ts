import { describeOrchestrator } from '@agentry/core/testing'
import { createScriptedChatModel, createTokenizer } from '@agentry/local'
import { MemoryLock } from '@agentry/memory'
import { openEmbedded } from '../test/postgres-test-database.js'

const tokenizer = createTokenizer()

describeOrchestrator({
  name: 'PostgresStores on PGlite',
  createStores: async () => (await openEmbedded()).stores,
  cleanup: (stores) => stores.close(),
  createChatModel: () => createScriptedChatModel({}, { tokenizer }),
  tokenizer,
  createLock: () => new MemoryLock(),
})
