import { describeLock } from '@agentry/contracts/testing'
import { MemoryLock } from './memory-lock.js'

describeLock({ name: 'MemoryLock', create: () => new MemoryLock() })
