import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createAnthropic } from '@agentry/anthropic'
import type {
  ChatModelResolver,
  JobQueue,
  Lock,
  RateLimiter,
  SecretVault,
  Stores,
  Telemetry,
} from '@agentry/contracts'
import { type Agentry, createAgentry, StaticModelResolver } from '@agentry/core'
import { createLocal, validateScriptedRules } from '@agentry/local'
import { MemoryJobQueue, MemoryLock, MemoryRateLimiter } from '@agentry/memory'
import { createOpenAI } from '@agentry/openai'
import {
  createEmbeddedPostgres,
  createServerPostgres,
  type MigrationReport,
  type PostgresDatabase,
  type PostgresMigrationModule,
} from '@agentry/postgres'
import { createRedis } from '@agentry/redis'
import { Argon2PasswordHasher } from './auth/argon2-password-hasher.js'
import { UserTokens } from './auth/jwt.js'
import type { Config } from './config/load-config.js'
import {
  composeKnowledge,
  type KnowledgeComposition,
  knowledgeMigrations,
} from './knowledge/knowledge-composition.js'
import {
  type CompanyKeyResolver,
  companyProviderKeys,
  type KeyedProvider,
  PROVIDER_KEY_SECRETS,
} from './models/company-provider-keys.js'
import { ProviderModelResolver } from './models/provider-model-resolver.js'
import { createVault } from './secrets/master-keys.js'
import { createOutbound } from './tools/outbound.js'

/** Sibling adapters' schemas (pgvector, ...), migrated after the stores' own, in this order. */
export const MIGRATION_MODULES: readonly PostgresMigrationModule[] = []

export interface ComposeOptions {
  /** Where start-up notes go (providers, storage); silent when absent. */
  readonly log?: (line: string) => void
  /** Apply migrations before returning; `config.migrateOnStart` when absent. */
  readonly migrate?: boolean
  /** The core's logs, metrics and spans (tool calls, failed turns); dropped when absent. */
  readonly telemetry?: Telemetry
}

/** Every adapter and service of one process, picked from the config. */
export interface Composition {
  readonly config: Config
  readonly agentry: Agentry
  readonly database: PostgresDatabase
  readonly stores: Stores
  readonly queue: JobQueue
  readonly lock: Lock
  readonly rateLimiter: RateLimiter
  readonly models: ProviderModelResolver
  /** Encrypts company secrets; null with an external database and no AGENTRY_MASTER_KEY. */
  readonly vault: SecretVault | null
  /** Knowledge bases: the service, the `kb.index` handler, the retriever, pgvector and the embedding model. */
  readonly knowledge: KnowledgeComposition
  readonly userTokens: UserTokens
  /** `embedded (PGlite in <dir>)` or `PostgreSQL`, and `in-process` or `Redis`, for start-up lines. */
  readonly description: { readonly storage: string; readonly coordination: string }
  /** Applies pending migrations: the stores' and every `MIGRATION_MODULES` entry's. Idempotent. */
  migrate(): Promise<MigrationReport>
  /** Closes the queue first (running jobs may still write), then the rest. Idempotent. */
  close(): Promise<void>
}

/**
 * The one place that picks adapters (STYLE: the host stays thin): embedded PGlite under the data
 * directory unless `DATABASE_URL` is set; in-process queue, lock and rate limiter unless `REDIS_URL`
 * is set; the local scripted model always, OpenAI and Anthropic when their platform keys are set or
 * companies can store their own (docs/models.md).
 */
export async function compose(config: Config, options: ComposeOptions = {}): Promise<Composition> {
  const log = options.log ?? (() => undefined)
  const database =
    config.storage.kind === 'embedded'
      ? await createEmbeddedPostgres({ dataDir: config.storage.dataDir })
      : await createServerPostgres({ url: config.storage.url })
  const closers: (() => Promise<void>)[] = [() => database.close()]
  try {
    const migrate = () =>
      database.migrate({ modules: [...MIGRATION_MODULES, ...knowledgeMigrations(config.knowledge)] })
    if (options.migrate ?? config.migrateOnStart) {
      const report = await migrate()
      if (report.applied.length > 0) log(`Applied ${report.applied.length} migration(s).`)
    }
    const coordination = coordinationAdapters(config, log)
    closers.unshift(coordination.close)
    const local = createLocal({ chat: config.localModel })
    const vault = createVault(config, log)
    // Companies' own provider keys (bring your own key) need the vault that decrypts them.
    const companyKeys = vault ? companyProviderKeys(database.stores, vault) : null
    const models = new ProviderModelResolver(modelResolvers(config, local.chatModel, companyKeys))
    const outbound = createOutbound(config)
    const knowledge = composeKnowledge({
      config: config.knowledge,
      database,
      queue: coordination.queue,
      tokenizer: local.tokenizer,
      http: outbound.http,
    })
    const agentry = createAgentry({
      stores: database.stores,
      models,
      lock: coordination.lock,
      tokenizer: local.tokenizer,
      passwordHasher: new Argon2PasswordHasher(),
      validateProviderOptions: (provider, providerOptions) =>
        provider === 'local' ? validateScriptedRules(providerOptions) : [],
      ...(options.telemetry ? { telemetry: options.telemetry } : {}),
      http: outbound.http,
      checkOutboundTarget: outbound.checkTarget,
      outboundHosts: outbound.companyHosts,
      ...(vault ? { vault } : {}),
      jobs: coordination.queue,
      rateLimiter: coordination.rateLimiter,
      retriever: knowledge.retriever,
    })
    describeModels(config, models.providers, log)
    log(`Knowledge: ${knowledge.description} embeddings; vectors (pgvector) and BM25 keywords in PostgreSQL.`)
    let closing: Promise<void> | undefined
    return {
      config,
      agentry,
      database,
      stores: database.stores,
      queue: coordination.queue,
      lock: coordination.lock,
      rateLimiter: coordination.rateLimiter,
      models,
      vault,
      knowledge,
      migrate,
      userTokens: new UserTokens(jwtSecret(config, log), config.jwtTtlSeconds),
      description: {
        storage:
          config.storage.kind === 'embedded'
            ? `embedded PostgreSQL (PGlite) in ${config.storage.dataDir}`
            : 'PostgreSQL (DATABASE_URL)',
        coordination: config.redisUrl ? 'Redis (REDIS_URL)' : 'in-process',
      },
      close: () => {
        closing ??= closeAll(closers)
        return closing
      },
    }
  } catch (error) {
    await closeAll(closers)
    throw error
  }
}

function coordinationAdapters(config: Config, log: (line: string) => void) {
  if (config.redisUrl) {
    const redis = createRedis(
      {
        url: config.redisUrl,
        prefix: config.redisPrefix,
        queue: { lockDurationMs: config.jobs.lockMs, stalledIntervalMs: config.jobs.stalledCheckMs },
      },
      { onError: (error) => log(`Redis: ${error instanceof Error ? error.message : String(error)}`) },
    )
    return {
      queue: redis.queue,
      lock: redis.lock,
      rateLimiter: redis.rateLimiter,
      close: () => redis.close(),
    }
  }
  const queue = new MemoryJobQueue()
  const lock = new MemoryLock()
  const rateLimiter = new MemoryRateLimiter()
  return {
    queue,
    lock,
    rateLimiter,
    close: async () => {
      await queue.close()
      await Promise.all([lock.close(), rateLimiter.close()])
    },
  }
}

/**
 * A provider is there when the platform has its key or companies can store their own (a vault):
 * each company's own key (its `<provider>_api_key` secret) wins over the platform's.
 */
function modelResolvers(
  config: Config,
  localModel: ConstructorParameters<typeof StaticModelResolver>[0][number],
  companyKeys: Record<KeyedProvider, CompanyKeyResolver> | null,
): Record<string, ChatModelResolver> {
  const resolvers: Record<string, ChatModelResolver> = { local: new StaticModelResolver([localModel]) }
  const ownKey = (provider: KeyedProvider) => (companyKeys ? { resolveApiKey: companyKeys[provider] } : {})
  if (config.openai.apiKey || companyKeys) {
    resolvers.openai = createOpenAI(
      {
        ...(config.openai.apiKey ? { apiKey: config.openai.apiKey } : {}),
        ...(config.openai.baseURL ? { baseURL: config.openai.baseURL } : {}),
        companySecretName: PROVIDER_KEY_SECRETS.openai,
      },
      ownKey('openai'),
    )
  }
  if (config.anthropic.apiKey || companyKeys) {
    resolvers.anthropic = createAnthropic(
      {
        ...(config.anthropic.apiKey ? { apiKey: config.anthropic.apiKey } : {}),
        companySecretName: PROVIDER_KEY_SECRETS.anthropic,
      },
      ownKey('anthropic'),
    )
  }
  return resolvers
}

function describeModels(config: Config, providers: readonly string[], log: (line: string) => void): void {
  log(`Model providers: ${providers.join(', ')}.`)
  if (!config.openai.apiKey && !config.anthropic.apiKey) {
    log(
      'No OPENAI_API_KEY or ANTHROPIC_API_KEY is set: agents use the local scripted model (provider "local"), ' +
        'which follows the rules in their config and has no intelligence.' +
        (providers.length > 1
          ? ` Companies that store their own key (${Object.values(PROVIDER_KEY_SECRETS).join(', ')} secrets) can use ${providers.filter((provider) => provider !== 'local').join(' and ')}.`
          : ''),
    )
  }
}

/**
 * AGENTRY_JWT_SECRET, or for the embedded platform a random secret kept in the data directory
 * (0600) so tokens survive restarts. With an external database and no secret, a per-process secret:
 * tokens end at restart and do not work across replicas, which the log says.
 */
function jwtSecret(config: Config, log: (line: string) => void): string {
  if (config.jwtSecret) return config.jwtSecret
  if (config.storage.kind === 'embedded' && config.storage.dataDir !== 'memory') {
    const path = join(config.dataDir, 'jwt-secret')
    try {
      return readFileSync(path, 'utf8').trim()
    } catch {
      const secret = randomBytes(48).toString('base64url')
      mkdirSync(config.dataDir, { recursive: true })
      writeFileSync(path, `${secret}\n`, { mode: 0o600 })
      return secret
    }
  }
  log('AGENTRY_JWT_SECRET is not set: user tokens are signed with a per-process secret and end at restart.')
  return randomBytes(48).toString('base64url')
}

async function closeAll(closers: readonly (() => Promise<void>)[]): Promise<void> {
  const errors: unknown[] = []
  for (const close of closers) {
    try {
      await close()
    } catch (error) {
      errors.push(error)
    }
  }
  if (errors.length > 0) throw errors[0]
}
