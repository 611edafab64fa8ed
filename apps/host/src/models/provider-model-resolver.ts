import type { CallOptions, ChatModel, ChatModelResolver, CompanyId } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'

/**
 * Routes a model request to the resolver of its provider (`local`, `openai`, `anthropic`, ...).
 * An unknown or unconfigured provider is `INVALID_INPUT` naming the configured ones and how to add one.
 */
export class ProviderModelResolver implements ChatModelResolver {
  readonly #resolvers: ReadonlyMap<string, ChatModelResolver>

  constructor(resolvers: Readonly<Record<string, ChatModelResolver>>) {
    this.#resolvers = new Map(Object.entries(resolvers))
  }

  /** The provider names agents may use, in the order they were configured. */
  get providers(): readonly string[] {
    return [...this.#resolvers.keys()]
  }

  resolve(
    request: { readonly companyId: CompanyId; readonly provider: string; readonly model: string },
    options?: CallOptions,
  ): Promise<ChatModel> {
    const resolver = this.#resolvers.get(request.provider)
    if (!resolver) {
      const configured = this.providers
      return Promise.reject(
        new CoreError(
          'INVALID_INPUT',
          `Model provider "${request.provider}" is not configured on this platform (configured: ${configured.join(', ')}). ` +
            'Use one of those in model.provider, or set the provider key (OPENAI_API_KEY, ANTHROPIC_API_KEY) and restart.',
          {
            details: {
              issues: [{ path: 'model.provider', message: `must be one of ${configured.join(', ')}` }],
              configured,
            },
          },
        ),
      )
    }
    return resolver.resolve(request, options)
  }
}
