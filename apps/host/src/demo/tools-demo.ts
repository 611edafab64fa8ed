import type { AgentConfigInput } from '@agentry/contracts'
import type { DemoExtension } from './demo-extensions.js'

/** Scripted rules that make the demo agent call the builtin calculator and clock. */
export const DEMO_TOOL_RULES = [
  {
    name: 'calculator',
    when: { matches: '(?:calculate|compute|what is) (?<expression>[0-9(.-][0-9+*/^%(). -]{0,80})' },
    toolCalls: [{ name: 'math.evaluate', arguments: { expression: '{{match.expression}}' } }],
    afterTools: 'I asked the math.evaluate tool: {{tool.math.evaluate}}',
  },
  {
    name: 'clock',
    when: { contains: 'what time is it' },
    toolCalls: [{ name: 'time.now', arguments: { timeZone: 'UTC' } }],
    afterTools: 'The time.now tool says: {{tool.time.now}}',
  },
] as const

function withTools(config: AgentConfigInput): AgentConfigInput {
  const local = (config.providerOptions?.local ?? {}) as { rules?: readonly unknown[] }
  return {
    ...config,
    tools: { ...config.tools, allow: [...(config.tools?.allow ?? []), 'math.evaluate', 'time.now'] },
    providerOptions: {
      ...config.providerOptions,
      local: { ...local, rules: [...DEMO_TOOL_RULES, ...(local.rules ?? [])] },
    },
  }
}

/** The tools step of the demo seed: the builtin calculator and clock on the demo agent's allowlist. */
export const toolsDemo: DemoExtension = {
  name: 'tools',
  async seed() {
    return {
      configure: withTools,
      tryLines: [
        'Tools: ask "calculate (12 + 30) * 2" or "what time is it" (the agent calls math.evaluate and time.now).',
      ],
    }
  },
}
