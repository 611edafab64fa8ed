import type { ChatMessage, Message } from '@agentry/contracts'

/**
 * The newest messages whose stored token counts fit `maxTokens`, oldest first. Drops from the
 * oldest end; never starts the window on a tool result whose assistant tool call was dropped, so a
 * tool call and its results stay together or go together.
 */
export function windowHistory(history: readonly Message[], maxTokens: number): readonly Message[] {
  let start = history.length
  let total = 0
  while (start > 0) {
    const tokens = history[start - 1]!.tokenCount
    if (total + tokens > maxTokens) break
    total += tokens
    start -= 1
  }
  while (start < history.length && history[start]!.role === 'tool') start += 1
  return start === 0 ? history : history.slice(start)
}

/** Stored messages as the model port takes them. */
export function toChatMessages(messages: readonly Message[]): ChatMessage[] {
  const result: ChatMessage[] = []
  for (const message of messages) {
    switch (message.role) {
      case 'system':
      case 'user':
        result.push({ role: message.role, content: message.content })
        break
      case 'assistant':
        result.push(
          message.toolCalls.length > 0
            ? {
                role: 'assistant',
                content: message.content,
                toolCalls: message.toolCalls.map((call) => ({
                  id: call.id,
                  name: call.name,
                  argumentsJson: call.argumentsJson,
                })),
              }
            : { role: 'assistant', content: message.content },
        )
        break
      case 'tool':
        result.push({
          role: 'tool',
          toolCallId: message.toolCallId ?? '',
          toolName: message.toolName ?? '',
          content: message.content,
        })
        break
    }
  }
  return result
}
