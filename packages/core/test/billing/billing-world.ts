import type {
  AgentConfigInput,
  AgentId,
  CompanyId,
  NewUsageEvent,
  Price,
  PriceBook,
} from '@agentry/contracts'
import { tenantScope } from '@agentry/contracts'
import { makeUsageEvent } from '@agentry/contracts/testing'
import { createScriptedChatModel } from '@agentry/local'
import { createMemoryStores, MemoryLock } from '@agentry/memory'
import { createAgentry, type RequestContext, StaticModelResolver } from '../../src/index.js'
import { createTestPasswordHasher, ProbeChatModel, recordStoreCalls } from '../../src/testing/index.js'
import { createTestWorld, ManualClock, PLATFORM, type TestWorld, tokenizer } from '../helpers.js'

/** A company of its own in a test world (clock at 2026-11-25T10:00Z), with billing helpers. */
export interface BillingTenant {
  readonly world: TestWorld
  readonly companyId: CompanyId
  /** The company admin's API key context. */
  readonly context: RequestContext
  /** The platform admin acting on this company. */
  readonly platform: RequestContext
  /** Puts the company on a new plan of its own with these prices, effective from 2026-10-01 by default. */
  usePlan(
    prices: readonly Price[],
    overrides?: { readonly baseFeeMicros?: number; readonly effectiveFrom?: Date },
  ): Promise<PriceBook>
  /** Appends usage events (defaults: an `llm.tokens` event of `local/scripted`). */
  append(...events: Partial<NewUsageEvent>[]): Promise<NewUsageEvent[]>
  createAgent(config?: AgentConfigInput): Promise<AgentId>
}

let plans = 0

export async function billingTenant(
  world: TestWorld = createTestWorld(),
  name = 'Acme',
): Promise<BillingTenant> {
  const { context, companyId } = await world.company(name)
  const id = companyId as CompanyId
  const platform: RequestContext = { ...PLATFORM, companyId: id }
  const scope = tenantScope(id)
  return {
    world,
    companyId: id,
    context,
    platform,
    async usePlan(prices, overrides = {}) {
      plans += 1
      const effectiveFrom = overrides.effectiveFrom ?? new Date(Date.UTC(2026, 9, 1))
      // Versions may not start before the current month: create this one back then.
      const rewind = Math.max(0, world.clock.now().getTime() - effectiveFrom.getTime())
      world.clock.advance(-rewind)
      const book = await world.agentry.billing.priceBooks
        .create(PLATFORM, {
          planId: `test-plan-${plans}`,
          effectiveFrom,
          currency: 'USD',
          baseFeeMicros: overrides.baseFeeMicros ?? 0,
          prices: [...prices],
        })
        .finally(() => world.clock.advance(rewind))
      await world.agentry.companies.update(platform, { planId: book.planId })
      return book
    },
    async append(...overrides) {
      const events = overrides.map((override) =>
        makeUsageEvent(scope, { occurredAt: world.clock.now(), ...override }),
      )
      await world.stores.usage.append(scope, events)
      return events
    },
    async createAgent(
      config = { providerOptions: { local: { rules: [{ when: { always: true }, reply: 'ok' }] } } },
    ) {
      return (await world.agentry.agents.create(context, { name: 'Billing agent', config })).agent.id
    },
  }
}

export const perMillion = (meter: Price['meter'], modelPattern: string, unitPriceMicros: number): Price => ({
  meter,
  modelPattern,
  unitPriceMicros,
  per: 1_000_000,
  includedQuantity: 0,
})

export const perUnit = (meter: Price['meter'], unitPriceMicros: number, includedQuantity = 0): Price => ({
  meter,
  modelPattern: '*',
  unitPriceMicros,
  per: 1,
  includedQuantity,
})

export const utc = (month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0) =>
  new Date(Date.UTC(2026, month - 1, day, hour, minute, second, ms))

/** A test world whose one model (the scripted one) is wrapped in a probe that counts calls. */
export function createProbedWorld(): TestWorld & { readonly model: ProbeChatModel } {
  const stores = createMemoryStores()
  const recorded = recordStoreCalls(stores)
  const clock = new ManualClock()
  const model = new ProbeChatModel(createScriptedChatModel({}, { tokenizer }))
  const agentry = createAgentry({
    stores: recorded.stores,
    models: new StaticModelResolver([model]),
    lock: new MemoryLock(),
    tokenizer,
    passwordHasher: createTestPasswordHasher(),
    clock,
  })
  return {
    agentry,
    stores,
    recorded,
    clock,
    model,
    async company(name = 'Acme') {
      const created = await agentry.companies.create(PLATFORM, { name })
      const actor = await agentry.apiKeys.authenticate(created.adminKey.key)
      return {
        context: { actor, requestId: 'billing' },
        key: created.adminKey.key,
        companyId: created.company.id,
      }
    },
  }
}
