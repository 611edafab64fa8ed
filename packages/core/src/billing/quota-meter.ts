import type {
  CallOptions,
  ChatRequest,
  PriceBook,
  Quota,
  QuotaSubject,
  Stores,
  TenantScope,
  Tokenizer,
  TokenUsage,
  UsageFilter,
} from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import { listPriceMicros, meterQuantities } from './invoice-calculator.js'
import type { PriceBookService } from './price-book-service.js'

/** What a subject used in a period: tokens (input + output) and spend at list price (micro-units). */
export interface SubjectUsage {
  readonly tokens: bigint
  readonly spendMicros: bigint
}

/** The one key per subject (quotas of both metrics on a subject share one usage query). */
export function subjectKey(subject: QuotaSubject): string {
  if (subject.type === 'agent') return `agent:${subject.agentId}`
  if (subject.type === 'api-key') return `api-key:${subject.apiKeyId}`
  return 'company'
}

/** `company`, `agent <id>`, `API key <id>`: how messages name a quota's subject. */
export function subjectLabel(subject: QuotaSubject): string {
  if (subject.type === 'agent') return `agent ${subject.agentId}`
  if (subject.type === 'api-key') return `API key ${subject.apiKeyId}`
  return 'company'
}

/**
 * Measures quota usage: one `summarize` per subject (by kind and model, in the store), priced at
 * list price without allowances or base fee when spend is asked for. Estimates model calls.
 */
export class QuotaMeter {
  readonly #stores: Pick<Stores, 'usage' | 'companies'>
  readonly #priceBooks: PriceBookService
  readonly #tokenizer: Tokenizer

  constructor(
    stores: Pick<Stores, 'usage' | 'companies'>,
    priceBooks: PriceBookService,
    tokenizer: Tokenizer,
  ) {
    this.#stores = stores
    this.#priceBooks = priceBooks
    this.#tokenizer = tokenizer
  }

  /** The book spend is priced with: the company plan's book in force at `at`. */
  async bookFor(scope: TenantScope, at: Date, options?: CallOptions): Promise<PriceBook> {
    const company = await this.#stores.companies.get(scope, options)
    if (!company) throw new CoreError('NOT_FOUND', 'This company does not exist.')
    return this.#priceBooks.requireInForce(company.planId, at, options)
  }

  async usageOf(
    scope: TenantScope,
    subject: QuotaSubject,
    period: string,
    book: PriceBook | null,
    options?: CallOptions,
  ): Promise<SubjectUsage> {
    const filter: UsageFilter = {
      billingPeriod: period,
      ...(subject.type === 'agent' ? { agentId: subject.agentId } : {}),
      ...(subject.type === 'api-key' ? { apiKeyId: subject.apiKeyId } : {}),
    }
    const rows = await this.#stores.usage.summarize(scope, filter, ['kind', 'model'], options)
    let tokens = 0n
    for (const row of rows) tokens += BigInt(row.inputTokens) + BigInt(row.outputTokens)
    const spendMicros = book ? listPriceMicros(book, meterQuantities(book, rows)) : 0n
    return { tokens, spendMicros }
  }

  /** Tokens of the request as sent (system, messages, tool calls and tool specs), plus 4 per message. */
  promptTokens(request: ChatRequest): number {
    const count = (text: string) => this.#tokenizer.count(text)
    let tokens = request.system ? count(request.system) : 0
    for (const message of request.messages) {
      tokens += 4 + count(message.content)
      if (message.role === 'assistant') {
        for (const call of message.toolCalls ?? []) tokens += count(call.name) + count(call.argumentsJson)
      }
    }
    for (const tool of request.tools ?? []) {
      tokens += count(tool.name) + count(tool.description) + count(JSON.stringify(tool.inputSchema))
    }
    return tokens
  }

  /** List-price spend of one model call's tokens. */
  callSpendMicros(book: PriceBook, model: string, usage: TokenUsage): bigint {
    return listPriceMicros(
      book,
      meterQuantities(book, [{ kind: 'llm.tokens', model, events: 1, quantity: 1, ...usage }]),
    )
  }
}

/** The quotas of `quotas` that apply to a turn of this agent and API key. */
export function applicableQuotas(
  quotas: readonly Quota[],
  agentId: string,
  apiKeyId: string | null,
): Quota[] {
  return quotas.filter(
    ({ subject }) =>
      subject.type === 'company' ||
      (subject.type === 'agent' && subject.agentId === agentId) ||
      (subject.type === 'api-key' && subject.apiKeyId === apiKeyId),
  )
}
