import { createScriptedChatModel, createTokenizer } from '@agentry/local'
import { createMemoryStores, MemoryLock } from '@agentry/memory'
import { describeOrchestrator } from '../src/testing/index.js'

const tokenizer = createTokenizer()

describeOrchestrator({
  name: 'memory stores',
  createStores: () => createMemoryStores(),
  cleanup: (stores) => stores.close(),
  createChatModel: () => createScriptedChatModel({}, { tokenizer }),
  tokenizer,
  createLock: () => new MemoryLock(),
})
