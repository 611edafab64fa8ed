import type { ChatMessage, ChatRequest } from '@agentry/contracts'
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions'

/**
 * The request's instructions and conversation as Chat Completions messages: `system` first, then
 * each message in order. An assistant turn keeps its tool calls (content `null` when it said
 * nothing, as the API expects); each tool result answers its call by `tool_call_id`.
 * `extraInstructions` (e.g. the JSON schema for `json_object` mode) is appended to the system prompt.
 */
export function toOpenAIMessages(
  request: ChatRequest,
  extraInstructions?: string,
): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = []
  const system = [request.system, extraInstructions].filter((part) => part !== undefined && part !== '')
  if (system.length > 0) messages.push({ role: 'system', content: system.join('\n\n') })
  for (const message of request.messages) messages.push(toOpenAIMessage(message))
  return messages
}

function toOpenAIMessage(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content }
    case 'user':
      return { role: 'user', content: message.content }
    case 'assistant': {
      const toolCalls = message.toolCalls ?? []
      if (toolCalls.length === 0) return { role: 'assistant', content: message.content }
      return {
        role: 'assistant',
        content: message.content === '' ? null : message.content,
        tool_calls: toolCalls.map((call) => ({
          id: call.id,
          type: 'function' as const,
          function: { name: call.name, arguments: call.argumentsJson },
        })),
      }
    }
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content }
  }
}
