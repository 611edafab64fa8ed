import { SECRET_NAME_PATTERN, type SecretView } from '@agentry/core'
import { z } from 'zod'
import {
  data,
  envelope,
  iso,
  listEnvelope,
  NoContent,
  PageQuery,
  page,
  Timestamp,
} from '../http/api-schemas.js'
import { defineArea, defineRoute } from '../http/route-definition.js'

const SecretName = z.string().regex(SECRET_NAME_PATTERN, 'secret names are 1-64 letters, digits, _ . -')
const SecretValue = z
  .string()
  .min(1)
  .max(16 * 1024)
  .describe('Write-only: never returned by any route.')

const SecretSchema = z
  .object({
    name: z.string(),
    keyId: z.string().describe('The master key it is encrypted with (changes on rotation).'),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Secret' })

function secretToWire(secret: SecretView): z.input<typeof SecretSchema> {
  return {
    name: secret.name,
    keyId: secret.keyId,
    createdAt: iso(secret.createdAt),
    updatedAt: iso(secret.updatedAt),
  }
}

export const secretRoutes = defineArea('secrets', [
  defineRoute({
    method: 'POST',
    url: '/secrets',
    access: 'tools:manage',
    status: 201,
    summary: 'Store a secret (tool credential, provider key), or replace the value of one with this name',
    schema: {
      body: z.object({ name: SecretName, value: SecretValue }).strict(),
      response: { 201: envelope(SecretSchema) },
    },
    handler: async ({ body, context, signal }, { agentry }) =>
      data(secretToWire(await agentry.secrets.put(context, body, { signal }))),
  }),
  defineRoute({
    method: 'GET',
    url: '/secrets',
    access: 'tools:view',
    summary: 'List secret names (never values), by name',
    schema: { querystring: PageQuery, response: { 200: listEnvelope(SecretSchema) } },
    handler: async ({ query, context, signal }, { agentry }) =>
      page(await agentry.secrets.list(context, query, { signal }), secretToWire),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/secrets/:name',
    access: 'tools:manage',
    status: 204,
    summary: 'Delete a secret (tools that use it fail until it is stored again)',
    schema: { params: z.object({ name: SecretName }), response: { 204: NoContent } },
    handler: async ({ params, context, signal }, { agentry }) => {
      await agentry.secrets.delete(context, params.name, { signal })
    },
  }),
])
