import { describeRateLimiter } from '@agentry/contracts/testing'
import { MemoryRateLimiter } from './memory-rate-limiter.js'

describeRateLimiter({ name: 'MemoryRateLimiter', create: () => new MemoryRateLimiter() })
