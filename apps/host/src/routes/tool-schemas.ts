import type { ToolCallRecord, ToolDefinition } from '@agentry/contracts'
import { TOOL_CALL_STATUSES, TOOL_KINDS } from '@agentry/contracts'
import { z } from 'zod'
import { iso, JsonObject, Timestamp } from '../http/api-schemas.js'

const HttpConfigOut = z.record(z.string(), z.unknown()).meta({
  id: 'HttpToolConfig',
  description: 'method, url (template), query, headers, body, auth { type, secretName, headerName }, ...',
})

export const ToolSchema = z
  .object({
    id: z.string(),
    name: z.string().describe('namespace.name, e.g. crm.lookup'),
    kind: z.enum(TOOL_KINDS),
    description: z.string(),
    inputSchema: JsonObject,
    outputSchema: JsonObject.nullable(),
    timeoutMs: z.number().int(),
    retry: z.object({ attempts: z.number().int(), backoffMs: z.number().int() }),
    rateLimitPerMinute: z.number().int().nullable(),
    budget: z.object({ perDay: z.number().int().nullable(), perMonth: z.number().int().nullable() }),
    redact: z.array(z.string()),
    http: HttpConfigOut.nullable(),
    workflow: z.object({ jobKind: z.string() }).nullable(),
    builtin: z.object({ name: z.string() }).nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Tool' })

export function toolToWire(tool: ToolDefinition): z.input<typeof ToolSchema> {
  return {
    id: tool.id,
    name: tool.name,
    kind: tool.kind,
    description: tool.description,
    inputSchema: tool.inputSchema as z.input<typeof JsonObject>,
    outputSchema: tool.outputSchema as z.input<typeof JsonObject> | null,
    timeoutMs: tool.timeoutMs,
    retry: tool.retry,
    rateLimitPerMinute: tool.rateLimitPerMinute,
    budget: tool.budget,
    redact: [...tool.redact],
    http: tool.http as Record<string, unknown> | null,
    workflow: tool.workflow,
    builtin: tool.builtin,
    createdAt: iso(tool.createdAt),
    updatedAt: iso(tool.updatedAt),
  }
}

export const ToolTestResultSchema = z
  .object({
    ok: z.boolean(),
    result: z.json().optional().describe('The tool result (when ok).'),
    error: z
      .object({ code: z.string(), message: z.string() })
      .optional()
      .describe('Why it failed (when not ok).'),
    status: z.enum(TOOL_CALL_STATUSES),
    durationMs: z.number().int(),
  })
  .meta({ id: 'ToolTestResult' })

export const ToolCallSchema = z
  .object({
    id: z.string(),
    toolName: z.string(),
    toolId: z.string().nullable(),
    agentId: z.string().nullable().describe('Null for a test call (POST /tools/{id}/test).'),
    sessionId: z.string().nullable(),
    turnId: z.string().nullable(),
    arguments: z.unknown().describe('As the model sent them, with the tool’s redaction rules applied.'),
    result: z.unknown().describe('Redacted like the arguments; null when the call failed.'),
    status: z.enum(TOOL_CALL_STATUSES),
    errorCode: z.string().nullable(),
    errorMessage: z.string().nullable(),
    latencyMs: z.number().int(),
    createdAt: Timestamp,
  })
  .meta({ id: 'ToolCall' })

export function toolCallToWire(record: ToolCallRecord): z.input<typeof ToolCallSchema> {
  return {
    id: record.id,
    toolName: record.toolName,
    toolId: record.toolId,
    agentId: record.agentId,
    sessionId: record.sessionId,
    turnId: record.turnId,
    arguments: record.arguments,
    result: record.result,
    status: record.status,
    errorCode: record.errorCode,
    errorMessage: record.errorMessage,
    latencyMs: record.latencyMs,
    createdAt: iso(record.createdAt),
  }
}
