import { z } from 'zod'
import { data, envelope, listEnvelope, PageQuery, page } from '../http/api-schemas.js'
import { defineArea, defineRoute } from '../http/route-definition.js'
import { ApiKeySchema, apiKeyToWire, CompanySchema, companyToWire } from './tenancy-schemas.js'

const CreateCompanyBody = z
  .object({
    name: z.string().trim().min(1).max(200).describe('The company (tenant) name.'),
    planId: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe('Billing plan (docs/billing.md); `default` when absent.'),
  })
  .strict()

/** Platform routes: only the platform admin token (AGENTRY_ADMIN_TOKEN) may call them. */
export const companyRoutes = defineArea('companies', [
  defineRoute({
    method: 'POST',
    url: '/companies',
    access: 'platform-admin',
    status: 201,
    summary: 'Create a company and its first admin API key',
    description: 'The API key (`apiKey`) has every permission and is shown only in this response.',
    schema: {
      body: CreateCompanyBody,
      response: {
        201: envelope(
          z.object({
            company: CompanySchema,
            apiKey: z.string().describe('The first admin API key, shown once.'),
            apiKeyInfo: ApiKeySchema,
          }),
        ),
      },
    },
    handler: async ({ body, context, signal }, { agentry }) => {
      const created = await agentry.companies.create(
        context,
        { name: body.name, ...(body.planId ? { planId: body.planId } : {}) },
        { signal },
      )
      return data({
        company: companyToWire(created.company),
        apiKey: created.adminKey.key,
        apiKeyInfo: apiKeyToWire(created.adminKey.apiKey),
      })
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/companies',
    access: 'platform-admin',
    summary: 'List companies, newest first',
    schema: { querystring: PageQuery, response: { 200: listEnvelope(CompanySchema) } },
    handler: async ({ query, context, signal }, { agentry }) =>
      page(await agentry.companies.list(context, query, { signal }), companyToWire),
  }),
])
