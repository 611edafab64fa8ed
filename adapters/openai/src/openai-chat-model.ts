import type { CallOptions, ChatModel, ChatRequest, ChatResponse, ChatStreamPart } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import type { Completions } from 'openai/resources/chat/completions'
import { fromOpenAICompletion } from './from-openai-response.js'
import type { OpenAIConfig } from './openai-config.js'
import { cancelled, type OpenAIErrorContext, toCoreError } from './openai-errors.js'
import { OpenAIStreamAssembler } from './openai-stream-assembler.js'
import { toOpenAIRequest } from './to-openai-request.js'

/** The one SDK method this model calls, so a test or a wrapper can stand in for the client. */
export interface OpenAIChatClient {
  readonly chat: { readonly completions: Pick<Completions, 'create'> }
}

export interface OpenAIChatModelOptions {
  readonly client: OpenAIChatClient
  readonly modelId: string
  readonly config: OpenAIConfig
  /** Whose key `client` carries, so an authentication error names the right setting. */
  readonly keySource?: 'company' | 'platform'
  readonly settings: OpenAIErrorContext['settings']
}

/** `ChatModel` on the Chat Completions API of OpenAI or an OpenAI-compatible server. */
export class OpenAIChatModel implements ChatModel {
  readonly provider: string
  readonly modelId: string
  private readonly client: OpenAIChatClient
  private readonly config: OpenAIConfig
  private readonly context: Omit<OpenAIErrorContext, 'signal'>

  constructor(options: OpenAIChatModelOptions) {
    this.client = options.client
    this.config = options.config
    this.provider = options.config.provider
    this.modelId = options.modelId
    this.context = {
      label: this.provider === 'openai' ? 'OpenAI' : this.provider,
      provider: this.provider,
      keySource: options.keySource ?? 'platform',
      settings: options.settings,
      timeoutMs: options.config.timeoutMs,
    }
  }

  async generate(request: ChatRequest, options: CallOptions = {}): Promise<ChatResponse> {
    const { signal } = options
    if (signal?.aborted) throw cancelled(signal.reason)
    try {
      const completion = await this.client.chat.completions.create(
        { ...toOpenAIRequest(request, { ...this.config, modelId: this.modelId }), stream: false },
        { signal, maxRetries: 0 },
      )
      return fromOpenAICompletion(completion, this.modelId, this.context.label)
    } catch (error) {
      throw toCoreError(error, { ...this.context, signal })
    }
  }

  async *stream(request: ChatRequest, options: CallOptions = {}): AsyncIterable<ChatStreamPart> {
    const { signal } = options
    if (signal?.aborted) throw cancelled(signal.reason)
    const assembler = new OpenAIStreamAssembler()
    try {
      const chunks = await this.client.chat.completions.create(
        {
          ...toOpenAIRequest(request, { ...this.config, modelId: this.modelId }),
          stream: true,
          ...(this.config.streamUsage ? { stream_options: { include_usage: true } } : {}),
        },
        { signal, maxRetries: 0 },
      )
      for await (const chunk of chunks) {
        // The SDK ends an aborted stream quietly; the port asks for CANCELLED.
        if (signal?.aborted) break
        yield* assembler.push(chunk)
      }
    } catch (error) {
      throw toCoreError(error, { ...this.context, signal })
    }
    if (signal?.aborted) throw cancelled(signal.reason)
    if (!assembler.hasFinished) {
      throw new CoreError(
        'UNAVAILABLE',
        `${this.context.label} ended the stream before it finished: try again.`,
        {
          details: { provider: this.provider },
        },
      )
    }
    yield* assembler.finish(this.modelId)
  }
}
