import { PERMISSIONS } from '@agentry/contracts'
import { permissionsOf } from '@agentry/core'
import { z } from 'zod'
import { data, envelope } from '../http/api-schemas.js'
import { defineArea, defineRoute } from '../http/route-definition.js'

/** Who the credentials belong to: lets a client check a key or token before using it. */
export const meRoutes = defineArea('me', [
  defineRoute({
    method: 'GET',
    url: '/me',
    access: 'authenticated',
    summary: 'Who you are: your company, credential and permissions',
    schema: {
      response: {
        200: envelope(
          z.object({
            type: z.enum(['api-key', 'user']),
            companyId: z.string(),
            apiKeyId: z.string().optional(),
            userId: z.string().optional(),
            role: z.string().optional(),
            permissions: z.array(z.enum(PERMISSIONS)),
          }),
        ),
      },
    },
    handler: async ({ context }) => {
      const { actor } = context
      if (actor.type !== 'api-key' && actor.type !== 'user') throw new Error('tenant actor expected')
      return data({
        type: actor.type,
        companyId: actor.companyId,
        ...(actor.type === 'api-key'
          ? { apiKeyId: actor.apiKeyId }
          : { userId: actor.userId, role: actor.role }),
        permissions: [...permissionsOf(actor)],
      })
    },
  }),
])
