import type { TurnResult } from '@agentry/contracts'
import { TOOL_CALL_STATUSES } from '@agentry/contracts'
import { z } from 'zod'
import { Id, JsonObject } from '../http/api-schemas.js'

export const ChatBody = z
  .object({
    message: z.string().min(1).max(200_000).describe('What the end user says.'),
    sessionId: Id.optional().describe('Continue this session; absent to start a new one.'),
    externalUserId: z.string().trim().min(1).max(200).optional().describe('Your id for the end user.'),
    metadata: JsonObject.optional().describe('Kept on a new session (e.g. locale, page); ignored later.'),
    stream: z
      .boolean()
      .optional()
      .describe('Answer as server-sent events (same as Accept: text/event-stream).'),
  })
  .strict()

export const ChatQuery = z.object({
  stream: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .describe('`true` answers as server-sent events.'),
})

export const ChatHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe('The same key (per company) returns the stored turn instead of running it again.'),
  accept: z.string().optional(),
})

export const CitationSchema = z
  .object({
    index: z.number().int(),
    chunkId: z.string(),
    documentId: z.string(),
    knowledgeBaseId: z.string(),
    documentTitle: z.string(),
    page: z.number().int().nullable(),
    startOffset: z.number().int(),
    endOffset: z.number().int(),
    snippet: z.string(),
    score: z.number(),
  })
  .meta({ id: 'Citation' })

export const UsageSummarySchema = z
  .object({
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    cachedInputTokens: z.number().int(),
    modelCalls: z.number().int(),
    toolCalls: z.number().int(),
    kbQueries: z.number().int(),
    embeddingTokens: z.number().int(),
  })
  .meta({ id: 'TurnUsage' })

export const ChatResultSchema = z
  .object({
    turnId: z.string(),
    sessionId: z.string(),
    agentId: z.string(),
    agentVersion: z.number().int(),
    message: z.object({ role: z.literal('assistant'), content: z.string() }),
    output: z.json().nullable().describe('The parsed reply when the agent answers in JSON.'),
    citations: z.array(CitationSchema),
    toolCalls: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        status: z.enum(TOOL_CALL_STATUSES),
        durationMs: z.number(),
        error: z.object({ code: z.string(), message: z.string() }).nullable(),
      }),
    ),
    usage: UsageSummarySchema,
    outcome: z
      .looseObject({ type: z.string() })
      .describe('replied, tool-limit-reached, loop-limit-reached, output-invalid, refused or truncated'),
    warnings: z.array(z.string()),
  })
  .meta({ id: 'ChatResult' })

export function chatResultToWire(result: TurnResult): z.input<typeof ChatResultSchema> {
  return {
    turnId: result.turnId,
    sessionId: result.sessionId,
    agentId: result.agentId,
    agentVersion: result.agentVersion,
    message: { role: 'assistant', content: result.message.content },
    output: result.output as z.input<typeof ChatResultSchema>['output'],
    citations: result.citations.map((citation) => ({ ...citation })),
    toolCalls: result.toolCalls.map((call) => ({ ...call })),
    usage: { ...result.usage },
    outcome: { ...result.outcome },
    warnings: [...result.warnings],
  }
}
