import type { Clock, Stores } from '@agentry/contracts'
import { createScriptedChatModel, createTokenizer, validateScriptedRules } from '@agentry/local'
import { createMemoryStores, MemoryLock } from '@agentry/memory'
import { type Agentry, createAgentry, type RequestContext, StaticModelResolver } from '../src/index.js'
import { createTestPasswordHasher, type RecordedStores, recordStoreCalls } from '../src/testing/index.js'

export const tokenizer = createTokenizer()

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  #now: number

  constructor(start = Date.parse('2026-11-25T10:00:00.000Z')) {
    this.#now = start
  }

  now(): Date {
    return new Date(this.#now)
  }

  advance(ms: number): void {
    this.#now += ms
  }
}

export const PLATFORM: RequestContext = { actor: { type: 'platform-admin' }, requestId: 'request-1' }

export interface TestWorld {
  readonly agentry: Agentry
  readonly stores: Stores
  readonly recorded: RecordedStores
  readonly clock: ManualClock
  /** A new company and the context of its admin API key. */
  company(
    name?: string,
  ): Promise<{ readonly context: RequestContext; readonly key: string; readonly companyId: string }>
}

/** The runtime on memory stores and the local scripted model, with a hand-moved clock. */
export function createTestWorld(): TestWorld {
  const stores = createMemoryStores()
  const recorded = recordStoreCalls(stores)
  const clock = new ManualClock()
  const agentry = createAgentry({
    stores: recorded.stores,
    models: new StaticModelResolver([createScriptedChatModel({}, { tokenizer })]),
    lock: new MemoryLock(),
    tokenizer,
    passwordHasher: createTestPasswordHasher(),
    validateProviderOptions: (provider, options) =>
      provider === 'local' ? validateScriptedRules(options) : [],
    clock,
  })
  return {
    agentry,
    stores,
    recorded,
    clock,
    async company(name = 'Acme') {
      const created = await agentry.companies.create(PLATFORM, { name })
      const actor = await agentry.apiKeys.authenticate(created.adminKey.key)
      return {
        context: { actor, requestId: 'request-2' },
        key: created.adminKey.key,
        companyId: created.company.id,
      }
    },
  }
}
