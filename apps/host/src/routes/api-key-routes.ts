import type { ApiKeyId } from '@agentry/contracts'
import { z } from 'zod'
import { data, envelope, idParams, listEnvelope, PageQuery, page } from '../http/api-schemas.js'
import { defineArea, defineRoute } from '../http/route-definition.js'
import { ApiKeySchema, apiKeyToWire, PermissionSchema } from './tenancy-schemas.js'

const CreateApiKeyBody = z
  .object({
    name: z.string().trim().min(1).max(120).describe('What the key is for, e.g. "support backend".'),
    permissions: z
      .array(PermissionSchema)
      .min(1)
      .max(50)
      .describe('What the key may do; at most what the creator holds.'),
    expiresAt: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('When the key stops working (ISO 8601, in the future); never when absent.'),
  })
  .strict()

const ApiKeyParams = idParams('apiKeyId')

export const apiKeyRoutes = defineArea('api-keys', [
  defineRoute({
    method: 'POST',
    url: '/api-keys',
    access: 'keys:manage',
    status: 201,
    summary: 'Create an API key (the key is shown once)',
    schema: {
      body: CreateApiKeyBody,
      response: {
        201: envelope(
          z.object({ apiKey: ApiKeySchema, key: z.string().describe('The whole key, shown once.') }),
        ),
      },
    },
    handler: async ({ body, context, signal }, { agentry }) => {
      const created = await agentry.apiKeys.create(
        context,
        {
          name: body.name,
          permissions: body.permissions,
          expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
        },
        { signal },
      )
      return data({ apiKey: apiKeyToWire(created.apiKey), key: created.key })
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api-keys',
    access: 'keys:manage',
    summary: 'List API keys, newest first (revoked and expired ones included)',
    schema: { querystring: PageQuery, response: { 200: listEnvelope(ApiKeySchema) } },
    handler: async ({ query, context, signal }, { agentry }) =>
      page(await agentry.apiKeys.list(context, query, { signal }), apiKeyToWire),
  }),
  defineRoute({
    method: 'GET',
    url: '/api-keys/:apiKeyId',
    access: 'keys:manage',
    summary: 'Get an API key',
    schema: { params: ApiKeyParams, response: { 200: envelope(ApiKeySchema) } },
    handler: async ({ params, context, signal }, { agentry }) =>
      data(apiKeyToWire(await agentry.apiKeys.get(context, params.apiKeyId as ApiKeyId, { signal }))),
  }),
  defineRoute({
    method: 'POST',
    url: '/api-keys/:apiKeyId/revoke',
    access: 'keys:manage',
    summary: 'Revoke an API key at once (revoking again keeps the first time)',
    schema: { params: ApiKeyParams, response: { 200: envelope(ApiKeySchema) } },
    handler: async ({ params, context, signal }, { agentry, apiKeyCache }) => {
      const revoked = await agentry.apiKeys.revoke(context, params.apiKeyId as ApiKeyId, { signal })
      apiKeyCache.forget(revoked.id)
      return data(apiKeyToWire(revoked))
    },
  }),
])
