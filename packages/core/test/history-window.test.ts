import type { Message, MessageRole } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { toChatMessages, windowHistory } from '../src/index.js'

let counter = 0
function message(role: MessageRole, tokenCount: number, extra: Partial<Message> = {}): Message {
  counter += 1
  return {
    id: `m${counter}`,
    companyId: 'c',
    sessionId: 's',
    turnId: 't',
    role,
    content: `${role} ${counter}`,
    toolCalls: [],
    toolCallId: null,
    toolName: null,
    citations: [],
    tokenCount,
    createdAt: new Date(0),
    ...extra,
  } as Message
}

describe('windowHistory', () => {
  it('keeps everything that fits and drops the oldest first', () => {
    const history = [
      message('user', 40),
      message('assistant', 40),
      message('user', 30),
      message('assistant', 30),
    ]
    expect(windowHistory(history, 1000)).toEqual(history)
    expect(windowHistory(history, 100)).toEqual(history.slice(1))
    expect(windowHistory(history, 60)).toEqual(history.slice(2))
    expect(windowHistory(history, 10)).toEqual([])
  })

  it('never starts on a tool result whose tool call was dropped', () => {
    const call = { id: 'call_1', name: 'math.add', argumentsJson: '{}' }
    const history = [
      message('user', 10),
      message('assistant', 50, { toolCalls: [call] }),
      message('tool', 10, { toolCallId: 'call_1', toolName: 'math.add' }),
      message('tool', 10, { toolCallId: 'call_2', toolName: 'math.add' }),
      message('assistant', 10),
    ]
    // 30 tokens would fit both tool results and the reply, but not their tool call.
    expect(windowHistory(history, 30).map((item) => item.role)).toEqual(['assistant'])
    expect(windowHistory(history, 80).map((item) => item.role)).toEqual([
      'assistant',
      'tool',
      'tool',
      'assistant',
    ])
  })

  it('maps stored messages to chat messages with tool calls and results', () => {
    const call = { id: 'call_1', name: 'math.add', argumentsJson: '{"a":1}' }
    const chat = toChatMessages([
      message('assistant', 1, { content: '', toolCalls: [call] }),
      message('tool', 1, { content: '2', toolCallId: 'call_1', toolName: 'math.add' }),
    ])
    expect(chat).toEqual([
      { role: 'assistant', content: '', toolCalls: [call] },
      { role: 'tool', toolCallId: 'call_1', toolName: 'math.add', content: '2' },
    ])
  })
})
