import { z } from 'zod'
import { TOOL_NAME_PATTERN } from '../domain/tool.js'
import { CoreError } from '../errors/core-error.js'
import { zodIssues } from './zod-issues.js'

const ModelRefSchema = z
  .object({
    /** `local` (offline scripted model), `openai`, `anthropic`, or an OpenAI-compatible provider id. */
    provider: z.string().min(1).max(40),
    name: z.string().min(1).max(120),
  })
  .strict()

const ModelSettingsSchema = z
  .object({
    provider: z.string().min(1).max(40).default('local'),
    name: z.string().min(1).max(120).default('scripted'),
    temperature: z.number().min(0).max(2).optional(),
    maxOutputTokens: z.number().int().min(1).max(200_000).default(1024),
    /** Tried in order when the primary fails with a retryable error after its retries. */
    fallbacks: z.array(ModelRefSchema).max(3).default([]),
    timeoutMs: z.number().int().min(1000).max(600_000).default(60_000),
    maxRetries: z.number().int().min(0).max(5).default(2),
  })
  .strict()

const MemorySchema = z
  .object({
    /** Most recent messages sent to the model; 0 sends none. */
    maxMessages: z.number().int().min(0).max(500).default(20),
    /** Token budget for the history; the oldest messages are dropped first. */
    maxTokens: z.number().int().min(100).max(1_000_000).default(8000),
  })
  .strict()

const KnowledgeSchema = z
  .object({
    knowledgeBaseIds: z.array(z.uuid()).max(20).default([]),
    topK: z.number().int().min(1).max(50).default(5),
    /** Hits scoring below this (0..1, after fusion normalisation) are dropped. */
    minScore: z.number().min(0).max(1).default(0),
    mode: z.enum(['hybrid', 'vector', 'keyword']).default('hybrid'),
  })
  .strict()

const ToolPolicySchema = z
  .object({
    /** Tool names this agent may call; nothing outside it is ever offered to the model or executed. */
    allow: z
      .array(z.string().regex(TOOL_NAME_PATTERN, 'tool names look like namespace.name, e.g. crm.lookup'))
      .max(64)
      .default([]),
    maxCallsPerTurn: z.number().int().min(0).max(64).default(8),
    /** Model calls per turn, tool rounds included. */
    maxLoops: z.number().int().min(1).max(20).default(6),
    /** Tool calls of one model reply run at most this many at a time. */
    maxParallel: z.number().int().min(1).max(16).default(4),
  })
  .strict()

const OutputSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }).strict(),
  z
    .object({
      type: z.literal('json'),
      name: z
        .string()
        .regex(/^[a-zA-Z0-9_-]{1,64}$/)
        .default('output'),
      /** JSON Schema (draft 2020-12) the reply must satisfy; checked when the config is saved. */
      schema: z.record(z.string(), z.unknown()),
    })
    .strict(),
])

const GuardrailsSchema = z
  .object({
    maxInputChars: z.number().int().min(1).max(200_000).default(16_000),
  })
  .strict()

/**
 * An agent's configuration. Every field has a default, so `{ systemPrompt: 'You help.' }` is a
 * whole config. Stored as JSON on each immutable agent version.
 */
export const AgentConfigSchema = z
  .object({
    model: ModelSettingsSchema.prefault({}),
    systemPrompt: z.string().max(50_000).default(''),
    rules: z.array(z.string().min(1).max(2000)).max(100).default([]),
    memory: MemorySchema.prefault({}),
    knowledge: KnowledgeSchema.prefault({}),
    tools: ToolPolicySchema.prefault({}),
    output: OutputSchema.default({ type: 'text' }),
    guardrails: GuardrailsSchema.prefault({}),
    /** Provider-specific settings, namespaced: `{ local: { rules: [...] }, openai: {...} }`. */
    providerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  })
  .strict()

export type AgentConfig = z.output<typeof AgentConfigSchema>
export type AgentConfigInput = z.input<typeof AgentConfigSchema>

/** Parses and defaults a config; throws CoreError `INVALID_INPUT` naming every bad field. */
export function parseAgentConfig(input: unknown): AgentConfig {
  const parsed = AgentConfigSchema.safeParse(input ?? {})
  if (parsed.success) return parsed.data
  const issues = zodIssues(parsed.error)
  throw new CoreError(
    'INVALID_INPUT',
    `Agent config is invalid: ${issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ')}`,
    {
      details: { issues },
    },
  )
}

/** The config schema as JSON Schema (draft 2020-12, input shape: defaults make fields optional). */
export function agentConfigJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(AgentConfigSchema, { io: 'input', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >
}
