import type { CallOptions, ChatModelResolver, CompanyId } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import OpenAI from 'openai'
import { ClientCache } from './client-cache.js'
import { type OpenAIChatClient, OpenAIChatModel } from './openai-chat-model.js'
import { keySettings, type OpenAIConfig, type OpenAIConfigInput, parseOpenAIConfig } from './openai-config.js'
import { OpenAIEmbeddingModel, type OpenAIEmbeddingsClient } from './openai-embedding-model.js'

export type OpenAIClient = OpenAIChatClient & OpenAIEmbeddingsClient

export interface CreateOpenAIOptions {
  /**
   * A company's own key (bring your own key), or null when it has none; the host reads it from the
   * company's secret. Without it, or when it gives null, the platform key is used.
   */
  readonly resolveApiKey?: (companyId: CompanyId, options?: CallOptions) => Promise<string | null>
  /** Builds the client for a key. Default: the official SDK with this config and no SDK retries. */
  readonly createClient?: (apiKey: string, config: OpenAIConfig) => OpenAIClient
}

/** A configured OpenAI (or compatible) endpoint: resolves models per company, or on the platform key. */
export interface OpenAIProvider extends ChatModelResolver {
  readonly provider: string
  readonly config: OpenAIConfig
  /** A chat model on the platform key; the default model when none is named. */
  chatModel(modelId?: string): OpenAIChatModel
  /** The embedding model on the platform key. */
  embeddingModel(modelId?: string): OpenAIEmbeddingModel
  /** The embedding model on the company's own key when it has one, else on the platform key. */
  resolveEmbeddingModel(
    request: { readonly companyId: CompanyId; readonly model?: string },
    options?: CallOptions,
  ): Promise<OpenAIEmbeddingModel>
}

interface ResolvedKey {
  readonly apiKey: string
  readonly source: 'company' | 'platform'
}

export function createOpenAI(
  input: OpenAIConfigInput = {},
  options: CreateOpenAIOptions = {},
): OpenAIProvider {
  const config = parseOpenAIConfig(input)
  const settings = keySettings(config)
  const label = config.provider === 'openai' ? 'OpenAI' : config.provider
  const build = options.createClient ?? createSdkClient
  const clients = new ClientCache(config.clientCacheSize, (apiKey) => build(apiKey, config))

  const missingKey = () =>
    new CoreError(
      'UNAUTHENTICATED',
      `No ${label} API key is configured: set ${settings.platform} or the company's \`${settings.company}\` secret.`,
      { details: { provider: config.provider } },
    )

  const platformKey = (): ResolvedKey => {
    if (!config.apiKey) throw missingKey()
    return { apiKey: config.apiKey, source: 'platform' }
  }

  const keyFor = async (companyId: CompanyId, callOptions?: CallOptions): Promise<ResolvedKey> => {
    const companyKey = (await options.resolveApiKey?.(companyId, callOptions))?.trim()
    if (companyKey) return { apiKey: companyKey, source: 'company' }
    return platformKey()
  }

  const chatModel = (key: ResolvedKey, modelId: string) =>
    new OpenAIChatModel({ client: clients.get(key.apiKey), modelId, config, keySource: key.source, settings })
  const embeddingModel = (key: ResolvedKey, modelId: string) =>
    new OpenAIEmbeddingModel({
      client: clients.get(key.apiKey),
      modelId,
      config,
      keySource: key.source,
      settings,
    })

  return {
    provider: config.provider,
    config,
    chatModel: (modelId) => chatModel(platformKey(), modelId ?? config.defaultModel),
    embeddingModel: (modelId) => embeddingModel(platformKey(), modelId ?? config.embeddingModel),
    resolveEmbeddingModel: async (request, callOptions) =>
      embeddingModel(await keyFor(request.companyId, callOptions), request.model ?? config.embeddingModel),
    resolve: async (request, callOptions) => {
      if (request.provider !== config.provider) {
        throw new CoreError(
          'INVALID_INPUT',
          `Unknown model provider "${request.provider}": this resolver serves "${config.provider}".`,
          { details: { provider: request.provider, configured: [config.provider] } },
        )
      }
      return chatModel(await keyFor(request.companyId, callOptions), request.model || config.defaultModel)
    },
  }
}

/** The official client, told everything explicitly so it reads nothing from the environment. */
function createSdkClient(apiKey: string, config: OpenAIConfig): OpenAIClient {
  return new OpenAI({
    apiKey,
    baseURL: config.baseURL,
    organization: config.organization ?? null,
    project: config.project ?? null,
    adminAPIKey: null,
    webhookSecret: null,
    timeout: config.timeoutMs,
    maxRetries: 0,
    defaultHeaders: config.headers,
    logLevel: 'off',
  })
}
