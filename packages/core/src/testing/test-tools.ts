import type { BuiltinTool, JsonValue } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import { ToolRegistry } from '../tools/tool-registry.js'
import { wait } from './probe-chat-model.js'

/** What the test tools saw: runs per tool, and the most that ran at once. */
export interface ToolProbe {
  readonly runs: Map<string, number>
  readonly inputs: { readonly name: string; readonly input: JsonValue }[]
  maxInFlight: number
}

/** Timeout given to `test.sleep` in the registry, so a hanging tool is cut quickly. */
export const SLEEP_TOOL_TIMEOUT_MS = 50

/**
 * Builtin tools for tests: `math.add` ({a, b} numbers), `time.now`, `test.slow` (waits a few ms,
 * for concurrency), `test.sleep` (never finishes; times out after 50 ms), `test.fail` (throws).
 */
export function createTestTools(): { readonly registry: ToolRegistry; readonly probe: ToolProbe } {
  const probe: ToolProbe = { runs: new Map(), inputs: [], maxInFlight: 0 }
  let inFlight = 0
  const tracked = (tool: BuiltinTool): BuiltinTool => ({
    ...tool,
    async execute(input, context, options) {
      probe.runs.set(tool.name, (probe.runs.get(tool.name) ?? 0) + 1)
      probe.inputs.push({ name: tool.name, input })
      inFlight += 1
      probe.maxInFlight = Math.max(probe.maxInFlight, inFlight)
      try {
        return await tool.execute(input, context, options)
      } finally {
        inFlight -= 1
      }
    },
  })
  const registry = new ToolRegistry()
  registry.register(
    tracked({
      name: 'math.add',
      description: 'Adds two numbers.',
      inputSchema: {
        type: 'object',
        properties: { a: { type: 'number' }, b: { type: 'number' } },
        required: ['a', 'b'],
        additionalProperties: false,
      },
      async execute(input) {
        const { a, b } = input as { a: number; b: number }
        return a + b
      },
    }),
  )
  registry.register(
    tracked({
      name: 'time.now',
      description: 'The current time (ISO 8601, UTC).',
      inputSchema: { type: 'object', properties: {} },
      async execute() {
        return new Date().toISOString()
      },
    }),
  )
  registry.register(
    tracked({
      name: 'test.slow',
      description: 'Waits a little, then answers its id.',
      inputSchema: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
      async execute(input, _context, options) {
        await wait(10, options?.signal)
        return (input as { id: number }).id
      },
    }),
  )
  registry.register(
    tracked({
      name: 'test.sleep',
      description: 'Never finishes on its own.',
      inputSchema: { type: 'object' },
      async execute(_input, _context, options) {
        await wait(Number.POSITIVE_INFINITY, options?.signal)
        return null
      },
    }),
    { timeoutMs: SLEEP_TOOL_TIMEOUT_MS },
  )
  registry.register(
    tracked({
      name: 'test.fail',
      description: 'Always fails.',
      inputSchema: { type: 'object' },
      async execute() {
        throw new CoreError('UPSTREAM_ERROR', 'The remote service answered 503.')
      },
    }),
  )
  return { registry, probe }
}
