import { describeVectorStore } from '@agentry/contracts/testing'
import { MemoryVectorStore } from './memory-vector-store.js'

describeVectorStore({
  name: 'MemoryVectorStore (8 dimensions)',
  create: () => new MemoryVectorStore({ dimensions: 8 }),
})
describeVectorStore({
  name: 'MemoryVectorStore (384 dimensions)',
  create: () => new MemoryVectorStore({ dimensions: 384 }),
})
