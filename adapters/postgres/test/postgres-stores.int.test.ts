import { describeStores } from '@agentry/contracts/testing'
import { describeOnServer, openServer, probeServer } from './postgres-test-database.js'

const server = await probeServer()

describeOnServer(server, 'PostgresStores on PostgreSQL 15', () => {
  const dropped = new WeakMap<object, () => Promise<void>>()
  describeStores({
    name: 'PostgresStores on PostgreSQL 15',
    create: async () => {
      const { database, close } = await openServer()
      dropped.set(database.stores, close)
      return database.stores
    },
    cleanup: async (stores) => {
      await dropped.get(stores)?.()
    },
  })
})
