import type { CallOptions, ChatModelResolver, CompanyId } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import Anthropic from '@anthropic-ai/sdk'
import {
  AnthropicChatModel,
  type AnthropicChatModelOptions,
  type AnthropicMessagesClient,
} from './anthropic-chat-model.js'
import { type AnthropicConfig, type AnthropicConfigInput, parseAnthropicConfig } from './anthropic-config.js'
import { ClientCache } from './client-cache.js'

export interface CreateAnthropicOptions {
  /**
   * A company's own key (bring your own key), or null when it has none; the host reads it from the
   * company's secret. Without it, or when it gives null, the platform key is used.
   */
  readonly resolveApiKey?: (companyId: CompanyId, options?: CallOptions) => Promise<string | null>
  /** Builds the client for a key. Default: the official SDK with this config and no SDK retries. */
  readonly createClient?: (apiKey: string, config: AnthropicConfig) => AnthropicMessagesClient
}

/** The configured Anthropic API: resolves models per company, or on the platform key. */
export interface AnthropicProvider extends ChatModelResolver {
  readonly provider: string
  readonly config: AnthropicConfig
  /** A chat model on the platform key; the default model when none is named. */
  chatModel(modelId?: string): AnthropicChatModel
}

export function createAnthropic(
  input: AnthropicConfigInput = {},
  options: CreateAnthropicOptions = {},
): AnthropicProvider {
  const config = parseAnthropicConfig(input)
  const build = options.createClient ?? createSdkClient
  const clients = new ClientCache(config.clientCacheSize, (apiKey) => build(apiKey, config))

  const platformKey = (): { apiKey: string; source: 'platform' } => {
    if (!config.apiKey) {
      throw new CoreError(
        'UNAUTHENTICATED',
        `No Anthropic API key is configured: set ${config.apiKeySetting} or the company's \`${config.companySecretName}\` secret.`,
        { details: { provider: config.provider } },
      )
    }
    return { apiKey: config.apiKey, source: 'platform' }
  }

  const model = (key: { apiKey: string; source: AnthropicChatModelOptions['keySource'] }, modelId: string) =>
    new AnthropicChatModel({ client: clients.get(key.apiKey), modelId, config, keySource: key.source })

  return {
    provider: config.provider,
    config,
    chatModel: (modelId) => model(platformKey(), modelId ?? config.defaultModel),
    resolve: async (request, callOptions) => {
      if (request.provider !== config.provider) {
        throw new CoreError(
          'INVALID_INPUT',
          `Unknown model provider "${request.provider}": this resolver serves "${config.provider}".`,
          { details: { provider: request.provider, configured: [config.provider] } },
        )
      }
      const companyKey = (await options.resolveApiKey?.(request.companyId, callOptions))?.trim()
      const key = companyKey ? { apiKey: companyKey, source: 'company' as const } : platformKey()
      return model(key, request.model || config.defaultModel)
    },
  }
}

/** The official client, told everything explicitly so it reads no key from the environment. */
function createSdkClient(apiKey: string, config: AnthropicConfig): AnthropicMessagesClient {
  return new Anthropic({
    apiKey,
    baseURL: config.baseURL,
    webhookKey: null,
    timeout: config.timeoutMs,
    maxRetries: 0,
    defaultHeaders: config.headers,
    logLevel: 'off',
  })
}
