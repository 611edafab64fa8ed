import type { ChatMessage, ChatRequest, ContextPassage } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { createScriptedChatModel, createTokenizer } from './create-local.js'
import type { ScriptedRulesInput } from './scripted-rules.js'

const tokenizer = createTokenizer()
const model = createScriptedChatModel({}, { tokenizer })

const request = (
  messages: string | readonly ChatMessage[],
  local: ScriptedRulesInput | undefined,
  extra: Partial<ChatRequest> = {},
): ChatRequest => ({
  messages: typeof messages === 'string' ? [{ role: 'user', content: messages }] : messages,
  ...(local ? { providerOptions: { local } } : {}),
  ...extra,
})

const reply = async (
  messages: string | readonly ChatMessage[],
  local?: ScriptedRulesInput,
  extra?: Partial<ChatRequest>,
) => (await model.generate(request(messages, local, extra))).content

describe('ScriptedChatModel rule matching', () => {
  const rules: ScriptedRulesInput = {
    rules: [
      { when: { equals: 'hi' }, reply: 'greeting' },
      { when: { contains: ['refund', 'money back'] }, reply: 'refunds' },
      { when: { matches: '^order\\s+#?(\\d+)' }, reply: 'order' },
      { when: { contains: 'order' }, reply: 'orders in general' },
    ],
  }

  it('matches equals ignoring case, spacing and end punctuation, but not as a substring', async () => {
    expect(await reply('  HI! ', rules)).toBe('greeting')
    expect(await reply('hi there', rules)).not.toBe('greeting')
  })

  it('matches contains on any phrase, ignoring case and accents', async () => {
    expect(await reply('Can I get my MONEY back?', rules)).toBe('refunds')
    expect(await reply('Réfund please', rules)).toBe('refunds')
  })

  it('tries rules in order: the first match wins', async () => {
    expect(await reply('Order #42 is late', rules)).toBe('order')
    expect(await reply('Where is my order?', rules)).toBe('orders in general')
  })

  it('matches the last user message only', async () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'I want a refund' },
      { role: 'assistant', content: 'refunds' },
      { role: 'user', content: 'hi' },
    ]
    expect(await reply(messages, rules)).toBe('greeting')
  })

  it('says it does not know when nothing matches and there is no context', async () => {
    expect(await reply('What is the capital of France?', rules)).toMatch(/^I don't know/)
    expect(await reply('Anything', undefined)).toMatch(/^I don't know/)
  })

  it('uses unknownReply when set', async () => {
    expect(await reply('Capital of France?', { unknownReply: 'No rule for "{{input}}".' })).toBe(
      'No rule for "Capital of France?".',
    )
  })
})

describe('ScriptedChatModel templates', () => {
  it('fills {{input}}, regex groups by position and by name, and {{context}}', async () => {
    const rules: ScriptedRulesInput = {
      rules: [
        {
          when: { matches: 'weather in (?<city>\\w+) on (\\w+)' },
          reply: '{{match.city}}/{{match.2}}/{{match.0}}/{{input}}',
        },
        { when: { contains: 'context' }, reply: 'Sources:\n{{context}}' },
      ],
    }
    expect(await reply('What is the weather in Oslo on Monday?', rules)).toBe(
      'Oslo/Monday/weather in Oslo on Monday/What is the weather in Oslo on Monday?',
    )
    const context: ContextPassage[] = [{ index: 1, title: 'Guide', text: 'Be kind.' }]
    expect(await reply('show context', rules, { context })).toBe('Sources:\n[1] Guide: Be kind.')
  })

  it('renders unknown or absent values as empty text', async () => {
    const rules: ScriptedRulesInput = {
      rules: [{ when: { always: true }, reply: '[{{match.9}}][{{tool.none.x}}]' }],
    }
    expect(await reply('x', rules)).toBe('[][]')
  })
})

describe('ScriptedChatModel tool round trip', () => {
  const rules: ScriptedRulesInput = {
    rules: [
      {
        when: { matches: 'weather in (?<city>\\w+)' },
        toolCalls: [{ name: 'weather.get', arguments: { city: '{{match.city}}', units: 'metric', days: 2 } }],
        afterTools: 'It is {{tool.weather.get}} in {{match.city}}.',
      },
      {
        when: { contains: 'lookup' },
        toolCalls: [{ name: 'crm.lookup', arguments: { query: '{{input}}' } }],
      },
    ],
  }

  it('calls the tool with templated arguments and deterministic ids', async () => {
    const first = await model.generate(request('What is the weather in Paris?', rules))
    const second = await model.generate(request('What is the weather in Paris?', rules))
    expect(first.finishReason).toBe('tool-calls')
    expect(first.content).toBe('')
    expect(first.toolCalls).toHaveLength(1)
    expect(first.toolCalls[0]?.name).toBe('weather.get')
    expect(JSON.parse(first.toolCalls[0]?.argumentsJson ?? '')).toEqual({
      city: 'Paris',
      units: 'metric',
      days: 2,
    })
    expect(first.toolCalls[0]?.id).toMatch(/^call_/)
    expect(second.toolCalls[0]?.id).toBe(first.toolCalls[0]?.id)
  })

  it('answers with afterTools once the results are back', async () => {
    const asked = await model.generate(request('What is the weather in Paris?', rules))
    const call = asked.toolCalls[0]!
    const messages: ChatMessage[] = [
      { role: 'user', content: 'What is the weather in Paris?' },
      { role: 'assistant', content: '', toolCalls: asked.toolCalls },
      { role: 'tool', toolCallId: call.id, toolName: 'weather.get', content: '21°C and sunny' },
    ]
    const answered = await model.generate(request(messages, rules))
    expect(answered.finishReason).toBe('stop')
    expect(answered.toolCalls).toEqual([])
    expect(answered.content).toBe('It is 21°C and sunny in Paris.')
  })

  it('summarises the results, errors included, when the rule has no afterTools', async () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'lookup Ada' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'crm.lookup', argumentsJson: '{}' }] },
      { role: 'tool', toolCallId: 'c1', toolName: 'crm.lookup', content: '{"name":"Ada"}' },
      { role: 'tool', toolCallId: 'c2', toolName: 'crm.notes', content: 'timed out', isError: true },
    ]
    expect(await reply(messages, rules)).toBe(
      'Here is what the tools returned:\n- crm.lookup: {"name":"Ada"}\n- crm.notes (failed): timed out',
    )
  })

  it('calls the scripted tool even when it was not offered, so the caller can refuse it', async () => {
    const response = await model.generate(request('lookup Ada', rules, { tools: [] }))
    expect(response.toolCalls.map((call) => call.name)).toEqual(['crm.lookup'])
  })

  it('passes over tool rules when tool choice is none', async () => {
    const response = await model.generate(request('lookup Ada', rules, { toolChoice: 'none' }))
    expect(response.toolCalls).toEqual([])
    expect(response.content).toMatch(/^I don't know/)
  })
})

describe('ScriptedChatModel extractive answers', () => {
  const context: ContextPassage[] = [
    {
      index: 1,
      title: 'Refunds',
      text: 'Refunds are issued within 14 days of receiving the return. Contact support for anything else.',
    },
    { index: 2, title: 'Shipping', text: 'We ship worldwide. Delivery takes 3-5 business days.' },
    {
      index: 3,
      title: 'Returns',
      text: 'You can return any item within 30 days.\nA refund is issued once the return arrives.',
    },
  ]

  it('quotes the sentences that share the question words and cites their passages', async () => {
    const content = await reply('How long does a refund take?', undefined, { context })
    expect(content).toBe(
      'According to the knowledge base: "Refunds are issued within 14 days of receiving the return." [1] ' +
        '"A refund is issued once the return arrives." [3]',
    )
  })

  it('cites only passages it quotes', async () => {
    const content = await reply('Do you ship worldwide?', undefined, { context })
    expect(content).toContain('"We ship worldwide." [2]')
    expect(content).not.toMatch(/\[1\]|\[3\]/)
  })

  it('says it does not know when no passage shares a word with the question', async () => {
    expect(await reply('Who painted the Mona Lisa?', undefined, { context })).toBe(
      "I don't know: the knowledge base passages I was given do not answer that.",
    )
  })

  it('lets a rule wrap the extractive answer with {{answer}}', async () => {
    const rules: ScriptedRulesInput = {
      rules: [{ when: { always: true }, reply: 'Support bot here. {{answer}}' }],
    }
    expect(await reply('Do you ship worldwide?', rules, { context })).toBe(
      'Support bot here. According to the knowledge base: "We ship worldwide." [2]',
    )
  })
})

describe('ScriptedChatModel JSON output', () => {
  const responseFormat = {
    type: 'json' as const,
    name: 'ticket',
    schema: {
      type: 'object',
      properties: {
        summary: { type: 'string' },
        priority: { enum: ['low', 'high'] },
        tags: { type: 'array', items: { type: 'string' } },
        count: { type: 'integer', minimum: 1 },
      },
      required: ['summary', 'priority'],
    },
  }

  it('serialises a json rule, with templates in its strings', async () => {
    const rules: ScriptedRulesInput = {
      rules: [
        { when: { always: true }, json: { summary: 'Asked: {{input}}', priority: 'high', tags: ['a'] } },
      ],
    }
    const content = await reply('printer broken', rules, { responseFormat })
    expect(JSON.parse(content)).toEqual({ summary: 'Asked: printer broken', priority: 'high', tags: ['a'] })
  })

  it('shapes the fallback answer to the schema when no rule matches', async () => {
    const content = await reply('printer broken', undefined, { responseFormat })
    expect(JSON.parse(content)).toEqual({
      summary: expect.stringMatching(/^I don't know/),
      priority: 'low',
      tags: [],
      count: 1,
    })
  })

  it('sends a reply rule verbatim, so a caller can exercise its repair path', async () => {
    const rules: ScriptedRulesInput = { rules: [{ when: { always: true }, reply: 'not json' }] }
    expect(await reply('x', rules, { responseFormat })).toBe('not json')
  })
})
