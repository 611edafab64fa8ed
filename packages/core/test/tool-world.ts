import { createHash } from 'node:crypto'
import type {
  AgentConfigInput,
  AgentId,
  CallOptions,
  CompanyId,
  EncryptedValue,
  HttpClient,
  HttpRequest,
  HttpResponse,
  LogFields,
  Logger,
  SecretContext,
  SecretVault,
  Stores,
  TurnEvent,
  TurnResult,
} from '@agentry/contracts'
import { CoreError, noopTelemetry, tenantScope } from '@agentry/contracts'
import { createScriptedChatModel, validateScriptedRules } from '@agentry/local'
import { createMemoryStores, MemoryJobQueue, MemoryLock, MemoryRateLimiter } from '@agentry/memory'
import {
  type Agentry,
  type AgentryDependencies,
  createAgentry,
  type RequestContext,
  StaticModelResolver,
} from '../src/index.js'
import { createTestPasswordHasher } from '../src/testing/index.js'
import { ManualClock, PLATFORM, tokenizer } from './helpers.js'

/** A test SecretVault: XOR with a key-derived stream, bound to company and name. Not for production. */
export class TestVault implements SecretVault {
  constructor(
    readonly currentKeyId: string,
    private readonly known: ReadonlySet<string> = new Set([currentKeyId]),
  ) {}

  async encrypt(plaintext: string, context: SecretContext): Promise<EncryptedValue> {
    return {
      keyId: this.currentKeyId,
      ciphertext: this.#xor(this.currentKeyId, context, Buffer.from(plaintext)),
    }
  }

  async decrypt(value: EncryptedValue, context: SecretContext): Promise<string> {
    if (!this.known.has(value.keyId))
      throw new CoreError('UNAVAILABLE', `Master key "${value.keyId}" is not configured`)
    return Buffer.from(
      this.#xor(value.keyId, context, Buffer.from(value.ciphertext, 'base64')),
      'base64',
    ).toString()
  }

  #xor(keyId: string, context: SecretContext, bytes: Buffer): string {
    const stream = createHash('sha512').update(`${keyId}:${context.companyId}:${context.name}`).digest()
    return Buffer.from(bytes.map((byte, index) => byte ^ stream[index % stream.length]!)).toString('base64')
  }
}

type Reply = HttpResponse | CoreError | ((request: HttpRequest) => HttpResponse | CoreError)

/** An HttpClient that answers from a script and records every request (the guard is tested in @agentry/outbound and the host). */
export class ScriptedHttpClient implements HttpClient {
  readonly requests: HttpRequest[] = []
  #replies: Reply[] = []
  #fallback: Reply = json(200, { ok: true })

  /** Replies in order; the last `always` answers once the list is used up. */
  reply(...replies: Reply[]): this {
    this.#replies.push(...replies)
    return this
  }

  always(reply: Reply): this {
    this.#fallback = reply
    return this
  }

  async request(request: HttpRequest, options?: CallOptions): Promise<HttpResponse> {
    options?.signal?.throwIfAborted()
    this.requests.push(request)
    const next = this.#replies.shift() ?? this.#fallback
    const answer = typeof next === 'function' ? next(request) : next
    if (CoreError.isInstance(answer)) throw answer
    return answer
  }
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: new TextEncoder().encode(JSON.stringify(body)),
    truncated: false,
    url: 'https://api.example.com/',
    redirects: 0,
  }
}

export interface LogLine {
  readonly level: string
  readonly message: string
  readonly fields: LogFields
}

/** A Logger that keeps every line (child fields merged), to assert on what would be logged. */
export function capturingLogger(lines: LogLine[] = [], base: LogFields = {}): Logger & { lines: LogLine[] } {
  const write =
    (level: string) =>
    (message: string, fields: LogFields = {}) =>
      lines.push({ level, message, fields: { ...base, ...fields } })
  return {
    lines,
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (fields) => capturingLogger(lines, { ...base, ...fields }),
  }
}

export interface ToolWorld {
  readonly agentry: Agentry
  readonly stores: Stores
  readonly clock: ManualClock
  readonly http: ScriptedHttpClient
  readonly jobs: MemoryJobQueue
  readonly logs: LogLine[]
  company(name?: string): Promise<{ readonly context: RequestContext; readonly companyId: CompanyId }>
  agent(context: RequestContext, config: AgentConfigInput): Promise<AgentId>
  chat(context: RequestContext, agentId: AgentId, message: string): Promise<TurnResult>
  close(): Promise<void>
}

/** The runtime on memory adapters with a scripted HTTP client, a test vault and captured logs. */
export function createToolWorld(overrides: Partial<AgentryDependencies> = {}): ToolWorld {
  const stores = createMemoryStores()
  const clock = new ManualClock()
  const http = new ScriptedHttpClient()
  const jobs = new MemoryJobQueue({ clock })
  const logger = capturingLogger()
  const lock = new MemoryLock()
  const agentry = createAgentry({
    stores,
    models: new StaticModelResolver([createScriptedChatModel({}, { tokenizer })]),
    lock,
    tokenizer,
    passwordHasher: createTestPasswordHasher(),
    validateProviderOptions: (provider, options) =>
      provider === 'local' ? validateScriptedRules(options) : [],
    clock,
    telemetry: { ...noopTelemetry, logger },
    http,
    vault: new TestVault('k1'),
    jobs,
    rateLimiter: new MemoryRateLimiter({ clock }),
    checkOutboundTarget: (host) =>
      host === '127.0.0.1' || host === 'localhost' ? 'loopback' : host.startsWith('10.') ? 'private' : null,
    ...overrides,
  })
  return {
    agentry,
    stores,
    clock,
    http,
    jobs,
    logs: logger.lines,
    async company(name = 'Acme') {
      const created = await agentry.companies.create(PLATFORM, { name })
      const actor = await agentry.apiKeys.authenticate(created.adminKey.key)
      return { context: { actor, requestId: 'tools-test' }, companyId: created.company.id }
    },
    async agent(context, config) {
      const { agent } = await agentry.agents.create(context, { name: 'Tool agent', config })
      return agent.id
    },
    async chat(context, agentId, message) {
      let result: TurnResult | null = null
      const events: TurnEvent[] = []
      for await (const event of agentry.orchestrator.run({ context, agentId, message })) {
        events.push(event)
        if (event.type === 'turn-end') result = event.result
        if (event.type === 'error') throw event.error
      }
      if (!result) throw new Error(`turn ended without a result: ${JSON.stringify(events)}`)
      return result
    },
    async close() {
      await jobs.close()
      await lock.close()
    },
  }
}

export function scopeOf(companyId: CompanyId) {
  return tenantScope(companyId)
}
