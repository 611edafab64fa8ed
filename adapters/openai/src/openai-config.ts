import { CoreError, zodIssues } from '@agentry/contracts'
import { z } from 'zod'

/**
 * Settings of one OpenAI (or OpenAI-compatible) endpoint, as the host passes them to `createOpenAI`.
 * The API key is the platform's; companies may bring their own (see `CreateOpenAIOptions`).
 */
export const OpenAIConfigSchema = z
  .object({
    /** The provider name in agent configs and usage events: `openai`, or `groq`, `ollama`, ... */
    provider: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and dashes')
      .default('openai'),
    /** The platform key, used for companies without their own. */
    apiKey: z.string().min(1).optional(),
    /** The setting an operator sets the platform key with; named in authentication errors. */
    apiKeySetting: z.string().min(1).optional(),
    /** The company secret that holds a company's own key; named in authentication errors. */
    companySecretName: z.string().min(1).optional(),
    /** `https://api.openai.com/v1`, or a compatible server's, e.g. `http://localhost:11434/v1`. */
    baseURL: z.url().default('https://api.openai.com/v1'),
    organization: z.string().min(1).optional(),
    project: z.string().min(1).optional(),
    /** The chat model when a caller names none. */
    defaultModel: z.string().min(1).default('gpt-4o-mini'),
    embeddingModel: z.string().min(1).default('text-embedding-3-small'),
    /** Shortened vectors (text-embedding-3 only); the model's full size when unset. */
    embeddingDimensions: z.number().int().min(1).max(3072).optional(),
    /** Texts per embedding request; OpenAI accepts up to 2048. */
    embeddingBatchSize: z.number().int().min(1).max(2048).default(2048),
    /** `max_tokens` for servers that do not know `max_completion_tokens` (most compatible ones). */
    maxTokensParameter: z.enum(['max_completion_tokens', 'max_tokens']).default('max_completion_tokens'),
    /** Ask for usage in streams (`stream_options.include_usage`); off for servers that reject it. */
    streamUsage: z.boolean().default(true),
    /** `json_object` (plus the schema in the instructions) for servers without `json_schema`. */
    jsonResponseFormat: z.enum(['json_schema', 'json_object']).default('json_schema'),
    /** Structured outputs in strict mode: guaranteed shape, but the schema must meet OpenAI's rules. */
    strictJsonSchema: z.boolean().default(false),
    /** Until the response starts; the core's own per-call timeout may be shorter. */
    timeoutMs: z.number().int().min(1).max(3_600_000).default(600_000),
    /** SDK clients kept, one per API key (least recently used dropped first). */
    clientCacheSize: z.number().int().min(1).max(10_000).default(100),
    /** Extra headers on every request (e.g. a gateway's). Never put keys here. */
    headers: z.record(z.string(), z.string()).default({}),
  })
  .strict()

export type OpenAIConfig = z.output<typeof OpenAIConfigSchema>
export type OpenAIConfigInput = z.input<typeof OpenAIConfigSchema>

/** Parses a config, throwing CoreError `INVALID_INPUT` that names every bad field. */
export function parseOpenAIConfig(input: unknown): OpenAIConfig {
  const parsed = OpenAIConfigSchema.safeParse(input ?? {})
  if (parsed.success) return parsed.data
  const issues = zodIssues(parsed.error)
  const summary = issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ')
  throw new CoreError('INVALID_INPUT', `OpenAI config is invalid: ${summary}`, { details: { issues } })
}

/** The settings named when a key is missing or rejected: `OPENAI_API_KEY` and the `openai` secret. */
export function keySettings(config: OpenAIConfig): { readonly platform: string; readonly company: string } {
  return {
    platform: config.apiKeySetting ?? `${config.provider.toUpperCase().replace(/-/g, '_')}_API_KEY`,
    company: config.companySecretName ?? config.provider,
  }
}
