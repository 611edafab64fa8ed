import type {
  AgentId,
  ApiKeyId,
  UsageEvent,
  UsageFilter,
  UsageGroupKey,
  UsageSummaryRow,
} from '@agentry/contracts'
import { USAGE_GROUP_KEYS, USAGE_KINDS } from '@agentry/contracts'
import { z } from 'zod'
import { data, envelope, Id, iso, listEnvelope, PageQuery, page, Timestamp } from '../http/api-schemas.js'
import { sendCsv, toCsv, wantsCsv } from '../http/csv.js'
import { defineArea, defineRoute } from '../http/route-definition.js'

const UsageFilterQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional().describe('Start of the range (inclusive, ISO 8601).'),
  to: z.iso.datetime({ offset: true }).optional().describe('End of the range (exclusive, ISO 8601).'),
  billingPeriod: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM, e.g. 2026-11')
    .optional(),
  kind: z.enum(USAGE_KINDS).optional(),
  agentId: Id.optional(),
  apiKeyId: Id.optional(),
})

const GroupBy = z
  .union([z.string(), z.array(z.string())])
  .transform((value) =>
    (Array.isArray(value) ? value : value.split(',')).map((key) => key.trim()).filter(Boolean),
  )
  .pipe(z.array(z.enum(USAGE_GROUP_KEYS)).max(USAGE_GROUP_KEYS.length))
  .describe(`Comma-separated keys to group by: ${USAGE_GROUP_KEYS.join(', ')}. One total row when absent.`)

const SummaryRowSchema = z
  .object({
    day: z.string().optional(),
    agentId: z.string().nullable().optional(),
    kind: z.enum(USAGE_KINDS).optional(),
    model: z.string().nullable().optional(),
    provider: z.string().nullable().optional(),
    apiKeyId: z.string().nullable().optional(),
    events: z.number().int(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    cachedInputTokens: z.number().int(),
    quantity: z.number(),
  })
  .meta({ id: 'UsageSummaryRow' })

const UsageEventSchema = z
  .object({
    id: z.string(),
    kind: z.enum(USAGE_KINDS),
    occurredAt: Timestamp,
    billingPeriod: z.string(),
    agentId: z.string().nullable(),
    sessionId: z.string().nullable(),
    turnId: z.string().nullable(),
    apiKeyId: z.string().nullable(),
    provider: z.string().nullable(),
    model: z.string().nullable(),
    toolName: z.string().nullable(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    cachedInputTokens: z.number().int(),
    quantity: z.number(),
  })
  .meta({ id: 'UsageEvent' })

function toFilter(query: z.output<typeof UsageFilterQuery>): UsageFilter {
  return {
    ...(query.from ? { from: new Date(query.from) } : {}),
    ...(query.to ? { to: new Date(query.to) } : {}),
    ...(query.billingPeriod ? { billingPeriod: query.billingPeriod } : {}),
    ...(query.kind ? { kind: query.kind } : {}),
    ...(query.agentId ? { agentId: query.agentId as AgentId } : {}),
    ...(query.apiKeyId ? { apiKeyId: query.apiKeyId as ApiKeyId } : {}),
  }
}

const CsvFormat = z.enum(['json', 'csv']).optional().describe('`csv` for text/csv; JSON when absent.')

const SUMMARY_COLUMNS = ['events', 'inputTokens', 'outputTokens', 'cachedInputTokens', 'quantity'] as const
const GROUP_COLUMN: Readonly<Record<UsageGroupKey, keyof UsageSummaryRow>> = {
  day: 'day',
  agent: 'agentId',
  kind: 'kind',
  model: 'model',
  provider: 'provider',
  apiKey: 'apiKeyId',
}

function summaryCsv(groupBy: readonly UsageGroupKey[], rows: readonly UsageSummaryRow[]): string {
  const keys = groupBy.map((key) => GROUP_COLUMN[key])
  return toCsv(
    [...keys, ...SUMMARY_COLUMNS],
    rows.map((row) => [...keys.map((key) => row[key]), ...SUMMARY_COLUMNS.map((column) => row[column])]),
  )
}

function usageEventToWire(event: UsageEvent): z.input<typeof UsageEventSchema> {
  const { companyId: _companyId, occurredAt, ...rest } = event
  return { ...rest, occurredAt: iso(occurredAt) }
}

export const usageRoutes = defineArea('usage', [
  defineRoute({
    method: 'GET',
    url: '/usage/summary',
    access: 'billing:view',
    summary:
      'Sum usage over a range or billing period, grouped by day, agent, kind, model, provider or API key',
    description: 'As CSV (a header row, one row per group) with `?format=csv` or `Accept: text/csv`.',
    schema: {
      querystring: UsageFilterQuery.extend({ groupBy: GroupBy.optional(), format: CsvFormat }),
      response: { 200: envelope(z.array(SummaryRowSchema)) },
    },
    handler: async ({ query, context, signal, request, reply }, { agentry }) => {
      const groupBy = (query.groupBy ?? []) as UsageGroupKey[]
      const rows = await agentry.usage.summarize(context, { ...toFilter(query), groupBy }, { signal })
      if (!wantsCsv(request, query.format)) return data(rows.map((row) => ({ ...row })))
      sendCsv(reply, summaryCsv(groupBy, rows), 'usage-summary.csv')
      return undefined
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/usage/events',
    access: 'billing:view',
    summary: 'List usage events, oldest first',
    schema: {
      querystring: UsageFilterQuery.extend(PageQuery.shape),
      response: { 200: listEnvelope(UsageEventSchema) },
    },
    handler: async ({ query, context, signal }, { agentry }) => {
      const { limit, cursor, ...filter } = query
      return page(
        await agentry.usage.list(context, toFilter(filter), { limit, cursor }, { signal }),
        usageEventToWire,
      )
    },
  }),
])
