import type {
  CallOptions,
  ChatModel,
  ChatModelResolver,
  ChatRequest,
  ChatResponse,
  ChatStreamPart,
  CompanyId,
  TurnEvent,
} from '@agentry/contracts'
import { CoreError, tenantScope } from '@agentry/contracts'
import { createScriptedChatModel } from '@agentry/local'
import { createMemoryStores, MemoryLock } from '@agentry/memory'
import { describe, expect, it } from 'vitest'
import { createAgentry, type RequestContext } from '../../src/index.js'
import { createTestPasswordHasher } from '../../src/testing/index.js'
import { ManualClock, PLATFORM, tokenizer } from '../helpers.js'

/**
 * Many concurrent turns against a model that fails some calls before answering (retryable and
 * not) and, when streaming, some after its finish part: afterwards the stored `llm.tokens` events
 * are exactly the calls that returned usage, and the invoice is exactly their priced sum.
 */
class FlakyModel implements ChatModel {
  readonly provider: string
  readonly modelId: string
  calls = 0
  returned = 0
  inputTokens = 0
  outputTokens = 0
  readonly #inner: ChatModel

  constructor(inner: ChatModel) {
    this.#inner = inner
    this.provider = inner.provider
    this.modelId = inner.modelId
  }

  async generate(request: ChatRequest, options?: CallOptions): Promise<ChatResponse> {
    await this.#maybeFail()
    return this.#count(await this.#inner.generate(request, options))
  }

  async *stream(request: ChatRequest, options?: CallOptions): AsyncGenerator<ChatStreamPart> {
    const call = await this.#maybeFail()
    for await (const part of this.#inner.stream(request, options)) {
      if (part.type === 'finish') this.#count(part.response)
      yield part
      // The connection drops right after the final part: the usage was returned all the same.
      if (part.type === 'finish' && call % 3 === 0)
        throw new CoreError('UNAVAILABLE', 'Connection reset after finish.')
    }
  }

  async #maybeFail(): Promise<number> {
    this.calls += 1
    const call = this.calls
    await new Promise((resolve) => setTimeout(resolve, call % 4))
    if (call % 5 === 0) throw new CoreError('UNAVAILABLE', `Call ${call}: the provider is overloaded.`)
    if (call % 7 === 0) throw new CoreError('UPSTREAM_ERROR', `Call ${call}: the provider failed.`)
    return call
  }

  #count(response: ChatResponse): ChatResponse {
    this.returned += 1
    this.inputTokens += response.usage.inputTokens
    this.outputTokens += response.usage.outputTokens
    return response
  }
}

/** One flaky model per company, so each company's calls can be counted apart. */
class PerCompanyModels implements ChatModelResolver {
  readonly models = new Map<CompanyId, FlakyModel>()

  async resolve(request: { readonly companyId: CompanyId }): Promise<ChatModel> {
    let model = this.models.get(request.companyId)
    if (!model) {
      model = new FlakyModel(createScriptedChatModel({}, { tokenizer }))
      this.models.set(request.companyId, model)
    }
    return model
  }
}

const halfEven = (numerator: bigint, denominator: bigint) => {
  const whole = numerator / denominator
  const twice = 2n * (numerator % denominator)
  return twice > denominator || (twice === denominator && whole % 2n === 1n) ? whole + 1n : whole
}

describe('billing under load with model failures', () => {
  it('bills exactly the model calls that returned usage, once each, and invoices their sum', async () => {
    const stores = createMemoryStores()
    const clock = new ManualClock()
    const models = new PerCompanyModels()
    const agentry = createAgentry({
      stores,
      models,
      lock: new MemoryLock(),
      tokenizer,
      passwordHasher: createTestPasswordHasher(),
      clock,
      resilience: {
        retry: { baseDelayMs: 0, maxDelayMs: 0 },
        breaker: { consecutiveFailures: 1000, minimumCalls: 10_000 },
      },
    })
    clock.advance(-(24 * 3600_000))
    const plan = await agentry.billing.priceBooks.create(PLATFORM, {
      planId: 'load',
      effectiveFrom: new Date(Date.UTC(2026, 10, 1)),
      currency: 'USD',
      prices: [
        // 1 USD per 1,000 input tokens and 3 USD per 1,000 output tokens: cents per 10 and per 3.33 tokens.
        { meter: 'llm.input_tokens', unitPriceMicros: 1_000_000, per: 1000 },
        { meter: 'llm.output_tokens', unitPriceMicros: 3_000_000, per: 1000 },
      ],
    })
    clock.advance(24 * 3600_000)
    const tenants: { companyId: CompanyId; context: RequestContext; agents: string[] }[] = []
    for (const name of ['North', 'South', 'East']) {
      const created = await agentry.companies.create(PLATFORM, { name, planId: plan.planId })
      const context = { actor: await agentry.apiKeys.authenticate(created.adminKey.key) }
      const text = {
        providerOptions: { local: { rules: [{ when: { always: true }, reply: 'Fine, thanks.' }] } },
      }
      // Invalid JSON on purpose: every turn makes a second (repair) call after the first returned.
      const json = {
        ...text,
        output: { type: 'json' as const, schema: { type: 'object' } },
        model: { maxRetries: 1 },
      }
      const agents = [
        (await agentry.agents.create(context, { name: 'Text', config: text })).agent.id,
        (await agentry.agents.create(context, { name: 'Json', config: json })).agent.id,
      ]
      tenants.push({ companyId: created.company.id, context, agents })
    }

    const turns = Array.from({ length: 150 }, (_, index) => {
      const tenant = tenants[index % tenants.length]!
      const agentId = tenant.agents[Math.floor(index / tenants.length) % 2]!
      return (async () => {
        const events: TurnEvent[] = []
        for await (const event of agentry.orchestrator.run({
          context: tenant.context,
          agentId: agentId as never,
          message: `question ${index}`,
          stream: index % 2 === 0,
        }))
          events.push(event)
        return events.at(-1)?.type
      })()
    })
    const outcomes = await Promise.all(turns)
    expect(outcomes.filter((type) => type === 'error').length).toBeGreaterThan(0)
    expect(outcomes.filter((type) => type === 'turn-end').length).toBeGreaterThan(0)

    for (const tenant of tenants) {
      const model = models.models.get(tenant.companyId)!
      expect(model.calls).toBeGreaterThan(model.returned)
      const scope = tenantScope(tenant.companyId)
      const [summary] = await stores.usage.summarize(scope, { kind: 'llm.tokens' }, [])
      expect(summary).toMatchObject({
        events: model.returned,
        inputTokens: model.inputTokens,
        outputTokens: model.outputTokens,
      })
      const { invoice } = await agentry.billing.invoices.draft(tenant.context, '2026-11')
      const input = halfEven(BigInt(model.inputTokens) * 1_000_000n * 100n, 1000n * 1_000_000n)
      const output = halfEven(BigInt(model.outputTokens) * 3_000_000n * 100n, 1000n * 1_000_000n)
      expect(invoice.lines.map((line) => [line.meter, line.quantity, line.amount])).toEqual([
        ['llm.input_tokens', model.inputTokens, Number(input)],
        ['llm.output_tokens', model.outputTokens, Number(output)],
      ])
      expect(invoice.total).toBe(Number(input + output))
      expect(invoice.eventCount).toBe(model.returned)
    }
  })
})
