import { describeJobQueue, describeLock, describeRateLimiter } from '@agentry/contracts/testing'
import { afterAll } from 'vitest'
import { SharedRedisClient } from '../src/redis-client.js'
import { RedisLock } from '../src/redis-lock.js'
import { RedisRateLimiter } from '../src/redis-rate-limiter.js'
import {
  connectionOptions,
  deleteKeys,
  describeWithRedis,
  makeJobQueue,
  testPrefix,
} from './redis-test-env.js'

const prefix = testPrefix('kits')
const connection = () => new SharedRedisClient(connectionOptions(), `${prefix}:kit`)

describeWithRedis('Redis adapters on the services.sh Redis', () => {
  afterAll(() => deleteKeys(prefix))

  describeRateLimiter({
    name: 'RedisRateLimiter',
    create: () => new RedisRateLimiter({ connection: connection(), prefix }),
  })

  describeLock({
    name: 'RedisLock',
    create: () => new RedisLock({ connection: connection(), prefix }),
  })

  describeJobQueue({
    name: 'RedisJobQueue (BullMQ)',
    create: () => makeJobQueue(prefix),
  })
})
