/**
 * Embeds the Agentry runtime in a plain Node program: memory stores, the offline scripted model,
 * two builtin tools. Creates a company and an agent, runs two turns (the second calls a tool) and
 * prints each answer with its usage. Run it with `npm run example:embedded` from the repository root.
 */
import { pathToFileURL } from 'node:url'
import type { BuiltinTool, TurnResult } from '@agentry/contracts'
import { collectTurn, createAgentry, StaticModelResolver } from '@agentry/core'
import { createLocal, validateScriptedRules } from '@agentry/local'
import { createMemoryStores, MemoryLock } from '@agentry/memory'

const timeNow: BuiltinTool = {
  name: 'time.now',
  description: 'The current date and time as ISO 8601 (UTC).',
  inputSchema: { type: 'object', properties: {}, additionalProperties: false },
  execute: async () => new Date().toISOString(),
}

const mathAdd: BuiltinTool = {
  name: 'math.add',
  description: 'Adds two numbers.',
  inputSchema: {
    type: 'object',
    properties: { a: { type: 'number' }, b: { type: 'number' } },
    required: ['a', 'b'],
    additionalProperties: false,
  },
  execute: async (input) => {
    const { a, b } = input as { a: number; b: number }
    return a + b
  },
}

/** The agent's scripted replies (the local model follows rules; a real model would not need them). */
const RULES = [
  {
    when: { contains: 'time' },
    toolCalls: [{ name: 'time.now', arguments: {} }],
    afterTools: 'It is {{tool.time.now}} (UTC).',
  },
  { when: { contains: 'hello' }, reply: 'Hello! Ask me what time it is.' },
]

export async function main(print: (line: string) => void = console.log): Promise<void> {
  const local = createLocal()
  const stores = createMemoryStores()
  const lock = new MemoryLock()
  const agentry = createAgentry({
    stores,
    models: new StaticModelResolver([local.chatModel]),
    lock,
    tokenizer: local.tokenizer,
    tools: [timeNow, mathAdd],
    validateProviderOptions: (provider, options) =>
      provider === 'local' ? validateScriptedRules(options) : [],
  })
  try {
    const { company, adminKey } = await agentry.companies.create(
      { actor: { type: 'platform-admin' } },
      { name: 'Example Co' },
    )
    print(
      `Company "${company.name}" created; its admin API key starts with agt_${adminKey.apiKey.prefix} (shown once).`,
    )
    const context = { actor: await agentry.apiKeys.authenticate(adminKey.key), requestId: 'example' }
    const { agent } = await agentry.agents.create(context, {
      name: 'Helper',
      config: {
        systemPrompt: 'You are a helpful assistant.',
        tools: { allow: ['time.now', 'math.add'] },
        providerOptions: { local: { rules: RULES } },
      },
    })
    print(`Agent "${agent.name}" created (version ${agent.currentVersion}).`)
    const first = await collectTurn(
      agentry.orchestrator.run({ context, agentId: agent.id, message: 'Hello there' }),
    )
    report(print, 'Hello there', first)
    const second = await collectTurn(
      agentry.orchestrator.run({
        context,
        agentId: agent.id,
        sessionId: first.sessionId,
        message: 'What time is it?',
      }),
    )
    report(print, 'What time is it?', second)
    const totals = await agentry.usage.summarize(context, { groupBy: ['kind'] })
    print(
      `Company usage: ${totals.map((row) => `${row.kind} ${row.events} event(s), ${row.inputTokens} in / ${row.outputTokens} out tokens`).join('; ')}`,
    )
  } finally {
    await lock.close()
    await stores.close()
  }
}

function report(print: (line: string) => void, message: string, result: TurnResult): void {
  print(`> ${message}`)
  print(`< ${result.message.content}`)
  const tools = result.toolCalls.map((call) => `${call.name} (${call.status})`).join(', ') || 'none'
  const { usage } = result
  print(
    `  usage: ${usage.modelCalls} model call(s), ${usage.inputTokens} input + ${usage.outputTokens} output tokens; tools: ${tools}`,
  )
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main()
}
