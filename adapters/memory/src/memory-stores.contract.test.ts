import { describeStores } from '@agentry/contracts/testing'
import { createMemoryStores } from './memory-stores.js'

describeStores({ name: 'MemoryStores', create: () => createMemoryStores() })
