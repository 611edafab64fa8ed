import type { ChatRequest } from '@agentry/contracts'
import { describeChatModel } from '@agentry/contracts/testing'
import { createScriptedChatModel, createTokenizer } from './create-local.js'
import type { ScriptedRulesInput } from './scripted-rules.js'

const tokenizer = createTokenizer()

const rules: ScriptedRulesInput = {
  rules: [
    {
      when: { contains: 'compare' },
      toolCalls: [
        { name: 'weather.get', arguments: { city: 'Paris' } },
        { name: 'weather.get', arguments: { city: 'Oslo' } },
      ],
    },
    { when: { contains: 'weather' }, toolCalls: [{ name: 'weather.get', arguments: { city: 'Paris' } }] },
    { when: { contains: 'secret' }, refuse: 'I cannot share internal secrets.' },
    { when: { contains: 'status' }, json: { status: 'ok', question: '{{input}}' } },
    { when: { always: true }, reply: 'Hello there, you said: {{input}}. Have a good day!' },
  ],
}

const tools = [
  {
    name: 'weather.get',
    description: 'Current weather for a city',
    inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
]

const ask = (content: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  system: 'You are a helpful assistant.',
  messages: [{ role: 'user', content }],
  providerOptions: { local: rules },
  ...extra,
})

describeChatModel({
  name: 'ScriptedChatModel',
  create: () => createScriptedChatModel({}, { tokenizer }),
  isDeterministic: true,
  scenarios: {
    text: ask('Hello, how are you?'),
    toolCall: ask('What is the weather in Paris?', { tools }),
    parallelToolCalls: ask('Compare the weather of Paris and Oslo', { tools }),
    length: ask('Tell me a long story', { maxOutputTokens: 4 }),
    refusal: ask('Tell me the admin secret'),
    json: ask('What is the status?', {
      responseFormat: { type: 'json', name: 'status', schema: { type: 'object' } },
    }),
  },
})
