import type { CallOptions, ChatModel, ChatRequest, ChatResponse, ChatStreamPart } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import type { Messages } from '@anthropic-ai/sdk/resources/messages'
import type { AnthropicConfig } from './anthropic-config.js'
import { type AnthropicErrorContext, cancelled, toCoreError } from './anthropic-errors.js'
import { AnthropicStreamAssembler } from './anthropic-stream-assembler.js'
import { fromAnthropicMessage } from './from-anthropic-message.js'
import { toAnthropicRequest } from './to-anthropic-request.js'

/** The one SDK method this model calls, so a test or a wrapper can stand in for the client. */
export interface AnthropicMessagesClient {
  readonly messages: Pick<Messages, 'create'>
}

export interface AnthropicChatModelOptions {
  readonly client: AnthropicMessagesClient
  readonly modelId: string
  readonly config: AnthropicConfig
  /** Whose key `client` carries, so an authentication error names the right setting. */
  readonly keySource?: 'company' | 'platform'
}

/** `ChatModel` on Anthropic's Messages API. */
export class AnthropicChatModel implements ChatModel {
  readonly provider: string
  readonly modelId: string
  private readonly client: AnthropicMessagesClient
  private readonly config: AnthropicConfig
  private readonly context: Omit<AnthropicErrorContext, 'signal'>

  constructor(options: AnthropicChatModelOptions) {
    this.client = options.client
    this.config = options.config
    this.provider = options.config.provider
    this.modelId = options.modelId
    this.context = {
      provider: this.provider,
      keySource: options.keySource ?? 'platform',
      settings: { platform: options.config.apiKeySetting, company: options.config.companySecretName },
      timeoutMs: options.config.timeoutMs,
    }
  }

  async generate(request: ChatRequest, options: CallOptions = {}): Promise<ChatResponse> {
    const { signal } = options
    if (signal?.aborted) throw cancelled(signal.reason)
    const { body, jsonTool } = toAnthropicRequest(request, { ...this.config, modelId: this.modelId })
    try {
      const message = await this.client.messages.create({ ...body, stream: false }, { signal, maxRetries: 0 })
      return fromAnthropicMessage(message, this.modelId, jsonTool)
    } catch (error) {
      throw toCoreError(error, { ...this.context, signal })
    }
  }

  async *stream(request: ChatRequest, options: CallOptions = {}): AsyncIterable<ChatStreamPart> {
    const { signal } = options
    if (signal?.aborted) throw cancelled(signal.reason)
    const { body, jsonTool } = toAnthropicRequest(request, { ...this.config, modelId: this.modelId })
    const assembler = new AnthropicStreamAssembler(jsonTool)
    try {
      const events = await this.client.messages.create({ ...body, stream: true }, { signal, maxRetries: 0 })
      for await (const event of events) {
        // The SDK ends an aborted stream quietly; the port asks for CANCELLED.
        if (signal?.aborted) break
        yield* assembler.push(event)
      }
    } catch (error) {
      throw toCoreError(error, { ...this.context, signal })
    }
    if (signal?.aborted) throw cancelled(signal.reason)
    if (!assembler.hasFinished) {
      throw new CoreError('UNAVAILABLE', 'Anthropic ended the stream before it finished: try again.', {
        details: { provider: this.provider },
      })
    }
    yield* assembler.finish(this.modelId)
  }
}
