import { describeStores } from '@agentry/contracts/testing'
import { openEmbedded } from '../test/postgres-test-database.js'

describeStores({
  name: 'PostgresStores on PGlite',
  create: async () => (await openEmbedded()).stores,
  cleanup: (stores) => stores.close(),
})
