import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AgentConfigInput, AgentId } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import type { Composition } from '../compose.js'
import { DEMO_EXTENSIONS, type DemoExtension } from './demo-extensions.js'

/** The demo company as the start-up banner prints it. */
export interface DemoSeed {
  readonly companyId: string
  readonly agentId: string
  /** The demo company's admin API key (kept in `<data dir>/demo.json`, mode 0600). */
  readonly apiKey: string
  /** True when this call created the demo; false when it already existed. */
  readonly isNew: boolean
  readonly tryLines: readonly string[]
  /** Where the key is kept. */
  readonly file: string
}

const DEMO_FILE = 'demo.json'

/** The demo agent: the offline scripted model answers by these rules (no key needed). */
export const DEMO_AGENT_CONFIG: AgentConfigInput = {
  systemPrompt: 'You are the Agentry demo agent. Answer briefly and kindly.',
  providerOptions: {
    local: {
      rules: [
        {
          name: 'greeting',
          when: { equals: ['hi', 'hello', 'hey', 'hello there'] },
          reply: 'Hello! I am the Agentry demo agent on the offline local model. Ask me what I can do.',
        },
        {
          name: 'name',
          when: { matches: "my name is (?<name>[\\p{L}' -]{1,40})" },
          reply: 'Nice to meet you, {{match.name}}! I will remember this conversation in this session.',
        },
        {
          name: 'capabilities',
          when: { contains: ['what can you do', 'help'] },
          reply:
            'I follow the scripted rules in my config (providerOptions.local.rules). Set OPENAI_API_KEY or ' +
            'ANTHROPIC_API_KEY and change model.provider to talk to a real model.',
        },
      ],
      unknownReply:
        'I am a scripted demo agent and only know a few phrases: try "hello", "my name is Ada" or ' +
        '"what can you do". You said: "{{input}}".',
    },
  },
}

/**
 * Seeds the demo company, its admin key and the demo agent once. Keys are stored hashed, so the
 * key is kept in `<dataDir>/demo.json` (0600) for later starts to print. Idempotent: when the file
 * exists and its key still works, nothing is created; when the database was reset, it seeds again.
 */
export async function seedDemo(
  composition: Composition,
  dataDir: string,
  extensions: readonly DemoExtension[] = DEMO_EXTENSIONS,
): Promise<DemoSeed> {
  const file = join(dataDir, DEMO_FILE)
  const existing = await readExisting(composition, file)
  if (existing) return { ...existing, isNew: false, file }
  const { agentry } = composition
  const created = await agentry.companies.create(
    { actor: { type: 'platform-admin' }, requestId: 'demo-seed' },
    { name: 'Demo Company' },
  )
  const context = { actor: await agentry.apiKeys.authenticate(created.adminKey.key), requestId: 'demo-seed' }
  let config = DEMO_AGENT_CONFIG
  const tryLines: string[] = []
  for (const extension of extensions) {
    const contribution = await extension.seed({ composition, context })
    if (contribution.configure) config = contribution.configure(config)
    tryLines.push(...(contribution.tryLines ?? []))
  }
  const { agent } = await agentry.agents.create(context, { name: 'Demo Helper', config, note: 'demo seed' })
  const seed = { companyId: created.company.id, agentId: agent.id, apiKey: created.adminKey.key, tryLines }
  writeFileSync(file, `${JSON.stringify(seed, null, 2)}\n`, { mode: 0o600 })
  return { ...seed, isNew: true, file }
}

async function readExisting(
  composition: Composition,
  file: string,
): Promise<Omit<DemoSeed, 'isNew' | 'file'> | null> {
  let saved: Omit<DemoSeed, 'isNew' | 'file'>
  try {
    saved = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return null
  }
  try {
    const actor = await composition.agentry.apiKeys.authenticate(saved.apiKey)
    await composition.agentry.agents.get({ actor }, saved.agentId as AgentId)
    return { ...saved, tryLines: saved.tryLines ?? [] }
  } catch (error) {
    if (CoreError.hasCode(error, 'UNAUTHENTICATED', 'NOT_FOUND')) return null
    throw error
  }
}
