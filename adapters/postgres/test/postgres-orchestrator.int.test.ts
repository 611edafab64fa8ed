import type { Stores } from '@agentry/contracts'
import { describeOrchestrator } from '@agentry/core/testing'
import { createScriptedChatModel, createTokenizer } from '@agentry/local'
import { MemoryLock } from '@agentry/memory'
import { describeOnServer, openServer, probeServer } from './postgres-test-database.js'

const server = await probeServer()
const tokenizer = createTokenizer()

describeOnServer(server, 'Orchestrator on PostgreSQL 15', () => {
  const closers = new WeakMap<Stores, () => Promise<void>>()
  describeOrchestrator({
    name: 'PostgresStores on PostgreSQL 15',
    createStores: async () => {
      const { database, close } = await openServer()
      closers.set(database.stores, close)
      return database.stores
    },
    cleanup: async (stores) => {
      await closers.get(stores)?.()
    },
    createChatModel: () => createScriptedChatModel({}, { tokenizer }),
    tokenizer,
    createLock: () => new MemoryLock(),
  })
})
