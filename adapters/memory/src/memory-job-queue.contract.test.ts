import { describeJobQueue } from '@agentry/contracts/testing'
import { MemoryJobQueue } from './memory-job-queue.js'

describeJobQueue({ name: 'MemoryJobQueue', create: () => new MemoryJobQueue({ closeGraceMs: 2000 }) })
