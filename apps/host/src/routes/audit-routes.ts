import type { AuditEntry } from '@agentry/contracts'
import { z } from 'zod'
import { iso, JsonObject, listEnvelope, PageQuery, page, Timestamp } from '../http/api-schemas.js'
import { defineArea, defineRoute } from '../http/route-definition.js'

const AuditEntrySchema = z
  .object({
    id: z.string(),
    actor: z.string().describe('`user:<id>`, `api-key:<id>`, `platform-admin` or `system`.'),
    action: z.string().describe('`agent.create`, `api-key.revoke`, ...'),
    resourceType: z.string(),
    resourceId: z.string().nullable(),
    details: JsonObject,
    requestId: z.string().nullable(),
    occurredAt: Timestamp,
  })
  .meta({ id: 'AuditEntry' })

function auditEntryToWire(entry: AuditEntry): z.input<typeof AuditEntrySchema> {
  return {
    id: entry.id,
    actor: entry.actor,
    action: entry.action,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId,
    details: entry.details as z.input<typeof JsonObject>,
    requestId: entry.requestId,
    occurredAt: iso(entry.occurredAt),
  }
}

const Text = z.string().trim().min(1).max(200)

export const auditRoutes = defineArea('audit', [
  defineRoute({
    method: 'GET',
    url: '/audit',
    access: 'audit:view',
    summary: 'List the audit log, newest first',
    schema: {
      querystring: PageQuery.extend({
        action: Text.optional().describe('e.g. agent.create'),
        resourceType: Text.optional().describe('e.g. agent'),
        resourceId: Text.optional(),
      }),
      response: { 200: listEnvelope(AuditEntrySchema) },
    },
    handler: async ({ query, context, signal }, { auditLog }) => {
      const { limit, cursor, ...filter } = query
      const clean = Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined))
      return page(await auditLog.list(context, clean, { limit, cursor }, { signal }), auditEntryToWire)
    },
  }),
])
