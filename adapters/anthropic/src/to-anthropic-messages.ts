import type { ChatMessage, ChatRequest } from '@agentry/contracts'
import type { ContentBlockParam, MessageParam } from '@anthropic-ai/sdk/resources/messages'

/**
 * The request's conversation as Messages API turns, and its system prompt apart (Anthropic has no
 * system role: system messages inside the conversation join the system prompt, in order).
 *
 * Turns alternate: consecutive messages of one role are merged, so consecutive tool results
 * become one user turn of `tool_result` blocks (followed by any user text), and an assistant turn
 * is its text then one `tool_use` block per call. Empty turns are dropped (the API rejects
 * empty text blocks).
 */
export function toAnthropicMessages(request: ChatRequest): {
  system: string | undefined
  messages: MessageParam[]
} {
  const system = request.system ? [request.system] : []
  const turns: { role: 'user' | 'assistant'; blocks: ContentBlockParam[] }[] = []
  for (const message of request.messages) {
    if (message.role === 'system') {
      system.push(message.content)
      continue
    }
    const role = message.role === 'assistant' ? 'assistant' : 'user'
    const blocks = toBlocks(message)
    if (blocks.length === 0) continue
    const last = turns.at(-1)
    if (last?.role === role) last.blocks.push(...blocks)
    else turns.push({ role, blocks })
  }
  return {
    system: system.length > 0 ? system.join('\n\n') : undefined,
    messages: turns.map(({ role, blocks }) => {
      const [only] = blocks
      return blocks.length === 1 && only?.type === 'text'
        ? { role, content: only.text }
        : { role, content: blocks }
    }),
  }
}

function toBlocks(message: Exclude<ChatMessage, { role: 'system' }>): ContentBlockParam[] {
  switch (message.role) {
    case 'user':
      return message.content ? [{ type: 'text', text: message.content }] : []
    case 'tool':
      return [
        {
          type: 'tool_result',
          tool_use_id: message.toolCallId,
          content: message.content,
          ...(message.isError ? { is_error: true } : {}),
        },
      ]
    case 'assistant': {
      const blocks: ContentBlockParam[] = message.content ? [{ type: 'text', text: message.content }] : []
      for (const call of message.toolCalls ?? []) {
        blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: toolInput(call.argumentsJson) })
      }
      return blocks
    }
  }
}

/** The API wants an object; arguments the model got wrong are sent back as an empty one. */
function toolInput(argumentsJson: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(argumentsJson)
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {}
  } catch {
    return {}
  }
}
