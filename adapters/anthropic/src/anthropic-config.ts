import { CoreError, zodIssues } from '@agentry/contracts'
import { z } from 'zod'

/**
 * Settings of the Anthropic Messages API, as the host passes them to `createAnthropic`. The API
 * key is the platform's; companies may bring their own (see `CreateAnthropicOptions`).
 */
export const AnthropicConfigSchema = z
  .object({
    /** The provider name in agent configs and usage events. */
    provider: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and dashes')
      .default('anthropic'),
    /** The platform key, used for companies without their own. */
    apiKey: z.string().min(1).optional(),
    /** The setting an operator sets the platform key with; named in authentication errors. */
    apiKeySetting: z.string().min(1).default('ANTHROPIC_API_KEY'),
    /** The company secret that holds a company's own key; named in authentication errors. */
    companySecretName: z.string().min(1).default('anthropic'),
    baseURL: z.url().default('https://api.anthropic.com'),
    /** The model when a caller names none. */
    defaultModel: z.string().min(1).default('claude-sonnet-4-6'),
    /** `max_tokens` is required by the API: used when a request sets no `maxOutputTokens`. */
    defaultMaxTokens: z.number().int().min(1).max(128_000).default(4096),
    /**
     * Marks the system prompt and the tool list as a prompt-cache prefix (`cache_control`), so
     * repeated turns of one agent read them from the cache (billed at a tenth). Anthropic ignores
     * prefixes shorter than its minimum (1,024 tokens on most models).
     */
    cachePrompt: z.boolean().default(true),
    /** Until the response starts; the core's own per-call timeout may be shorter. */
    timeoutMs: z.number().int().min(1).max(3_600_000).default(600_000),
    /** SDK clients kept, one per API key (least recently used dropped first). */
    clientCacheSize: z.number().int().min(1).max(10_000).default(100),
    /** Extra headers on every request (e.g. `anthropic-beta`). Never put keys here. */
    headers: z.record(z.string(), z.string()).default({}),
  })
  .strict()

export type AnthropicConfig = z.output<typeof AnthropicConfigSchema>
export type AnthropicConfigInput = z.input<typeof AnthropicConfigSchema>

/** Parses a config, throwing CoreError `INVALID_INPUT` that names every bad field. */
export function parseAnthropicConfig(input: unknown): AnthropicConfig {
  const parsed = AnthropicConfigSchema.safeParse(input ?? {})
  if (parsed.success) return parsed.data
  const issues = zodIssues(parsed.error)
  const summary = issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ')
  throw new CoreError('INVALID_INPUT', `Anthropic config is invalid: ${summary}`, { details: { issues } })
}
