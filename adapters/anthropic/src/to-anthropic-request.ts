import type { ChatRequest, JsonSchema } from '@agentry/contracts'
import type {
  MessageCreateParamsNonStreaming,
  TextBlockParam,
  Tool,
  ToolChoice,
} from '@anthropic-ai/sdk/resources/messages'
import type { AnthropicConfig } from './anthropic-config.js'
import { toAnthropicMessages } from './to-anthropic-messages.js'

/**
 * JSON output is emulated with a tool named after the response format: its input is the JSON.
 * A schema whose root is not an object is wrapped as `{ value: ... }` (tool inputs are objects).
 */
export interface JsonTool {
  readonly name: string
  readonly isWrapped: boolean
}

export type AnthropicRequestSettings = Pick<
  AnthropicConfig,
  'provider' | 'defaultMaxTokens' | 'cachePrompt'
> & {
  readonly modelId: string
}

const CACHE = { type: 'ephemeral' } as const

/**
 * A Messages API body (without `stream`) for `request`, and the JSON tool when it asks for JSON.
 * `temperature` is not sent: current Claude models reject or ignore it and the SDK no longer types
 * it; `providerOptions.anthropic.temperature` still reaches older models that take it.
 */
export function toAnthropicRequest(
  request: ChatRequest,
  settings: AnthropicRequestSettings,
): { body: Omit<MessageCreateParamsNonStreaming, 'stream'>; jsonTool: JsonTool | undefined } {
  const { system, messages } = toAnthropicMessages(request)
  const format = request.responseFormat
  const userTools = request.tools ?? []
  const jsonTool =
    format?.type === 'json' ? { name: format.name, isWrapped: format.schema.type !== 'object' } : undefined
  const tools: Tool[] = userTools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    input_schema: { type: 'object', ...tool.inputSchema },
  }))
  const instructions = [system]
  let toolChoice: ToolChoice | undefined = userTools.length > 0 ? toToolChoice(request.toolChoice) : undefined
  if (format?.type === 'json' && jsonTool) {
    tools.push({
      name: jsonTool.name,
      description: 'Gives the final answer. Its input is the answer, in the required JSON format.',
      input_schema: jsonTool.isWrapped ? wrap(format.schema) : { type: 'object', ...format.schema },
    })
    if (userTools.length === 0) toolChoice = { type: 'tool', name: jsonTool.name }
    else instructions.push(`Give your final answer by calling the \`${jsonTool.name}\` tool, never as text.`)
  }
  const systemText = instructions.filter((part) => part !== undefined && part !== '').join('\n\n')
  const lastTool = tools.at(-1)
  if (settings.cachePrompt && lastTool) lastTool.cache_control = CACHE

  // Vendor settings travel namespaced by provider (`providerOptions.anthropic`); ours win on conflict.
  const vendor = request.providerOptions?.[settings.provider] ?? {}
  const body: Omit<MessageCreateParamsNonStreaming, 'stream'> = {
    ...(vendor as Partial<MessageCreateParamsNonStreaming>),
    model: settings.modelId,
    max_tokens: request.maxOutputTokens ?? settings.defaultMaxTokens,
    messages,
  }
  if (systemText) body.system = settings.cachePrompt ? [systemBlock(systemText)] : systemText
  if (tools.length > 0) body.tools = tools
  if (toolChoice) body.tool_choice = toolChoice
  return { body, jsonTool }
}

function toToolChoice(choice: ChatRequest['toolChoice']): ToolChoice | undefined {
  switch (choice) {
    case 'auto':
      return { type: 'auto' }
    case 'required':
      return { type: 'any' }
    case 'none':
      return { type: 'none' }
    default:
      return undefined
  }
}

function systemBlock(text: string): TextBlockParam {
  return { type: 'text', text, cache_control: CACHE }
}

function wrap(schema: JsonSchema): Tool['input_schema'] {
  return { type: 'object', properties: { value: { ...schema } }, required: ['value'] }
}
