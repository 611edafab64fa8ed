import { describeKeywordIndex } from '@agentry/contracts/testing'
import { MemoryKeywordIndex } from './memory-keyword-index.js'

describeKeywordIndex({ name: 'MemoryKeywordIndex', create: () => new MemoryKeywordIndex() })
