import type { ChatRequest } from '@agentry/contracts'
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions'
import type { OpenAIConfig } from './openai-config.js'
import { toOpenAIMessages } from './to-openai-messages.js'

export type OpenAIRequestSettings = Pick<
  OpenAIConfig,
  'provider' | 'maxTokensParameter' | 'jsonResponseFormat' | 'strictJsonSchema'
> & { readonly modelId: string }

/** A Chat Completions body (without `stream`) for `request`. */
export function toOpenAIRequest(
  request: ChatRequest,
  settings: OpenAIRequestSettings,
): Omit<ChatCompletionCreateParamsNonStreaming, 'stream'> {
  const format = request.responseFormat
  const jsonInstructions =
    format?.type === 'json' && settings.jsonResponseFormat === 'json_object'
      ? `Answer with one JSON object (no prose, no code fence) that matches this JSON Schema, named "${format.name}":\n${JSON.stringify(format.schema)}`
      : undefined
  // Vendor settings travel namespaced by provider (`providerOptions.openai`); ours win on conflict.
  const vendor = request.providerOptions?.[settings.provider] ?? {}
  const body: Omit<ChatCompletionCreateParamsNonStreaming, 'stream'> = {
    ...(vendor as Partial<ChatCompletionCreateParamsNonStreaming>),
    model: settings.modelId,
    messages: toOpenAIMessages(request, jsonInstructions),
  }
  const tools = request.tools ?? []
  if (tools.length > 0) {
    body.tools = tools.map((tool) => ({
      type: 'function' as const,
      function: { name: tool.name, description: tool.description, parameters: { ...tool.inputSchema } },
    }))
    if (request.toolChoice) body.tool_choice = request.toolChoice
  }
  if (format?.type === 'json') {
    body.response_format =
      settings.jsonResponseFormat === 'json_object'
        ? { type: 'json_object' }
        : {
            type: 'json_schema',
            json_schema: {
              name: format.name,
              schema: { ...format.schema },
              strict: settings.strictJsonSchema,
            },
          }
  }
  if (request.maxOutputTokens !== undefined) body[settings.maxTokensParameter] = request.maxOutputTokens
  if (request.temperature !== undefined) body.temperature = request.temperature
  return body
}
