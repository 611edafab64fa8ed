import { TOOL_KINDS, TOOL_NAME_PATTERN } from '@agentry/contracts'
import { z } from 'zod'
import { REDACTION_PATH_PATTERN } from './redaction.js'

const HOST_PATTERN = /^(?:\*\.)?[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.?$|^\[?[0-9A-Fa-f:.]+\]?$/
/** A token per RFC 9110; headers the transport owns are refused. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'upgrade',
  'te',
  'trailer',
  'keep-alive',
  'proxy-authorization',
  'proxy-connection',
])
export const SECRET_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/
/** Workflow tools may only enqueue jobs under `workflow.`: never the platform's own job kinds. */
export const WORKFLOW_JOB_KIND_PATTERN = /^workflow\.[a-z0-9][a-z0-9_.-]{0,99}$/

const JsonObject = z.record(z.string(), z.json())
const HostList = z
  .array(z.string().regex(HOST_PATTERN, 'host patterns look like api.example.com or *.example.com'))
  .max(50)
const HeaderName = z
  .string()
  .regex(HEADER_NAME, 'must be an HTTP header name')
  .refine(
    (name) => !RESERVED_HEADERS.has(name.toLowerCase()),
    'is set by the transport and cannot be configured',
  )

const HttpAuthSchema = z
  .object({
    type: z.enum(['bearer', 'header', 'basic']),
    secretName: z.string().regex(SECRET_NAME_PATTERN, 'secret names are 1-64 letters, digits, _ . -'),
    headerName: HeaderName.optional(),
  })
  .strict()
  .refine((auth) => auth.type !== 'header' || auth.headerName !== undefined, {
    message: 'auth type "header" needs headerName',
    path: ['headerName'],
  })

const HttpConfigSchema = z
  .object({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
    url: z.string().min(1).max(2048),
    query: z.record(z.string().min(1).max(128), z.string().max(1024)).optional(),
    headers: z
      .record(z.string(), z.string().max(2048))
      .superRefine((headers, context) => {
        for (const name of Object.keys(headers)) {
          const problem = HeaderName.safeParse(name)
          if (!problem.success) {
            context.addIssue({
              code: 'custom',
              path: [name],
              message: problem.error.issues[0]?.message ?? 'is not allowed',
            })
          }
        }
      })
      .optional(),
    body: z.enum(['arguments', 'none']).optional(),
    auth: HttpAuthSchema.optional(),
    responseMaxBytes: z
      .number()
      .int()
      .min(1)
      .max(10 * 1024 * 1024)
      .optional(),
    allowHosts: HostList.optional(),
    denyHosts: HostList.optional(),
  })
  .strict()

/**
 * A tool definition as clients send it (`POST /api/v1/tools`). Every field but `name`, `kind` and
 * `description` has a default. Checks that need more than the shape (JSON Schemas compile, URL
 * placeholders name input properties, the URL's host is not internal) follow in `ToolService`.
 */
export const ToolInputSchema = z
  .object({
    name: z.string().regex(TOOL_NAME_PATTERN, 'tool names look like namespace.name, e.g. crm.lookup'),
    kind: z.enum(TOOL_KINDS),
    description: z.string().trim().min(1).max(2000),
    inputSchema: JsonObject.default({ type: 'object', properties: {} }),
    outputSchema: JsonObject.nullable().default(null),
    timeoutMs: z.number().int().min(100).max(300_000).default(10_000),
    retry: z
      .object({
        /** Total attempts, the first included; only idempotent HTTP methods and jobs retry. */
        attempts: z.number().int().min(1).max(5).default(2),
        backoffMs: z.number().int().min(0).max(30_000).default(200),
      })
      .strict()
      .prefault({}),
    rateLimitPerMinute: z.number().int().min(1).max(100_000).nullable().default(null),
    budget: z
      .object({
        perDay: z.number().int().min(0).max(10_000_000).nullable().default(null),
        perMonth: z.number().int().min(0).max(100_000_000).nullable().default(null),
      })
      .strict()
      .prefault({}),
    redact: z
      .array(
        z
          .string()
          .regex(REDACTION_PATH_PATTERN, 'field paths look like password, card.number or items[].ssn'),
      )
      .max(50)
      .default([]),
    http: HttpConfigSchema.nullable().default(null),
    workflow: z
      .object({
        jobKind: z
          .string()
          .regex(
            WORKFLOW_JOB_KIND_PATTERN,
            'job kinds of workflow tools start with "workflow." (e.g. workflow.refund)',
          ),
      })
      .strict()
      .nullable()
      .default(null),
    builtin: z
      .object({ name: z.string().regex(TOOL_NAME_PATTERN, 'the name of a builtin tool, e.g. math.evaluate') })
      .strict()
      .nullable()
      .default(null),
  })
  .strict()

export type ToolInput = z.input<typeof ToolInputSchema>
export type ParsedToolInput = z.output<typeof ToolInputSchema>
