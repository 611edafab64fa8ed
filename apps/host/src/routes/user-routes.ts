import type { CompanyId, UserId } from '@agentry/contracts'
import { ROLES } from '@agentry/contracts'
import { MIN_PASSWORD_LENGTH } from '@agentry/core'
import { z } from 'zod'
import {
  data,
  envelope,
  Id,
  idParams,
  listEnvelope,
  NoContent,
  PageQuery,
  page,
} from '../http/api-schemas.js'
import { defineArea, defineRoute } from '../http/route-definition.js'
import { UserSchema, userToWire } from './tenancy-schemas.js'

const Password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(1024)
const Name = z.string().trim().min(1).max(200)
const UserParams = idParams('userId')

const CreateUserBody = z
  .object({ email: z.email().max(320), name: Name, role: z.enum(ROLES), password: Password })
  .strict()

const UpdateUserBody = z
  .object({ name: Name.optional(), role: z.enum(ROLES).optional(), password: Password.optional() })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'send at least one of name, role, password')

const LoginBody = z
  .object({
    email: z.string().trim().min(1).max(320),
    password: z.string().min(1).max(1024),
    companyId: Id.optional().describe('Needed when the email belongs to several companies.'),
  })
  .strict()

function setStatusRoute(status: 'active' | 'disabled') {
  const verb = status === 'active' ? 'enable' : 'disable'
  return defineRoute({
    method: 'POST',
    url: `/users/:userId/${verb}`,
    access: 'users:manage',
    summary: status === 'active' ? 'Enable a user' : 'Disable a user (they can no longer log in)',
    schema: { params: UserParams, response: { 200: envelope(UserSchema) } },
    handler: async ({ params, context, signal }, { agentry }) =>
      data(userToWire(await agentry.users.setStatus(context, params.userId as UserId, status, { signal }))),
  })
}

export const userRoutes = defineArea('users', [
  defineRoute({
    method: 'POST',
    url: '/auth/login',
    access: 'public',
    summary: 'Log in with email and password; returns a user token for Authorization: Bearer',
    schema: {
      body: LoginBody,
      response: {
        200: envelope(z.object({ token: z.string(), expiresAt: z.string(), user: UserSchema })),
      },
    },
    handler: async ({ body, signal }, { agentry, userTokens }) => {
      const { user } = await agentry.users.login(
        body.email,
        body.password,
        body.companyId as CompanyId | undefined,
        { signal },
      )
      const issued = await userTokens.issue({ userId: user.id, companyId: user.companyId })
      return data({ token: issued.token, expiresAt: issued.expiresAt.toISOString(), user: userToWire(user) })
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/users',
    access: 'users:manage',
    status: 201,
    summary: 'Create a user of your company',
    schema: { body: CreateUserBody, response: { 201: envelope(UserSchema) } },
    handler: async ({ body, context, signal }, { agentry }) =>
      data(userToWire(await agentry.users.create(context, body, { signal }))),
  }),
  defineRoute({
    method: 'GET',
    url: '/users',
    access: 'users:manage',
    summary: 'List users, oldest first',
    schema: { querystring: PageQuery, response: { 200: listEnvelope(UserSchema) } },
    handler: async ({ query, context, signal }, { agentry }) =>
      page(await agentry.users.list(context, query, { signal }), userToWire),
  }),
  defineRoute({
    method: 'GET',
    url: '/users/:userId',
    access: 'users:manage',
    summary: 'Get a user',
    schema: { params: UserParams, response: { 200: envelope(UserSchema) } },
    handler: async ({ params, context, signal }, { agentry }) =>
      data(userToWire(await agentry.users.get(context, params.userId as UserId, { signal }))),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/users/:userId',
    access: 'users:manage',
    summary: 'Change a user’s name, role or password',
    schema: { params: UserParams, body: UpdateUserBody, response: { 200: envelope(UserSchema) } },
    handler: async ({ params, body, context, signal }, { agentry }) =>
      data(userToWire(await agentry.users.update(context, params.userId as UserId, body, { signal }))),
  }),
  setStatusRoute('disabled'),
  setStatusRoute('active'),
  defineRoute({
    method: 'DELETE',
    url: '/users/:userId',
    access: 'users:manage',
    status: 204,
    summary: 'Delete a user (their audit history stays)',
    schema: { params: UserParams, response: { 204: NoContent } },
    handler: async ({ params, context, signal }, { agentry }) => {
      await agentry.users.delete(context, params.userId as UserId, { signal })
    },
  }),
])
