import type { Actor } from '@agentry/contracts'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ErrorEnvelope } from './api-schemas.js'
import type { Authenticator } from './authenticator.js'
import type { HostServices } from './host-services.js'
import type { RequestRateLimits } from './request-rate-limits.js'
import { type RouteArea, type RouteDefinition, routePath } from './route-definition.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the route's access check before the body is read; null on public routes. */
    agentryActor: Actor | null
  }
}

export interface RouteAreaPluginOptions {
  readonly area: RouteArea
  readonly services: HostServices
  readonly authenticator: Authenticator
  readonly rateLimits: RequestRateLimits
}

const ACCESS_TEXT: Readonly<Record<string, string>> = {
  public: 'public, no credentials',
  authenticated: 'any API key or user token',
  'platform-admin': 'the platform admin token (AGENTRY_ADMIN_TOKEN)',
}

const PUBLIC_ACTOR: Actor = { type: 'system', reason: 'public route' }

/**
 * Registers one area's routes as a Fastify plugin. Access is checked in `onRequest`, so a caller
 * without credentials gets 401 and one without the permission 403 before the body is even read;
 * then the rate limits (per credential and company; per client address on public API routes); then
 * zod validates params, query and body; then the handler runs.
 */
export async function routeAreaPlugin(app: FastifyInstance, options: RouteAreaPluginOptions): Promise<void> {
  const { area, services, authenticator, rateLimits } = options
  await area.setup?.(app, services)
  for (const route of area.routes) {
    app.route({
      method: route.method,
      url: routePath(route),
      schema: openApiSchema(area, route),
      onRequest: async (request) => {
        const actor = await authenticator.authorize(route.access, request.headers.authorization)
        request.agentryActor = actor
        if (actor) await rateLimits.consume(actor)
        else if (!route.isRoot) await rateLimits.consumeAnonymous(request.ip)
      },
      handler: (request, reply) => handle(route, services, request, reply),
    })
  }
}

async function handle(
  route: RouteDefinition,
  services: HostServices,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<unknown> {
  let controller: AbortController | undefined
  const call = {
    params: request.params,
    query: request.query,
    body: request.body,
    headers: request.headers,
    context: { actor: request.agentryActor ?? PUBLIC_ACTOR, requestId: request.id },
    request,
    reply,
    get signal(): AbortSignal {
      if (!controller) {
        const created = new AbortController()
        reply.raw.once('close', () => {
          if (!reply.raw.writableFinished) created.abort()
        })
        controller = created
      }
      return controller.signal
    },
  }
  const body = await route.handler(call as never, services)
  if (reply.sent) return reply
  if (route.status === 204) return reply.code(204).send()
  reply.code(route.status ?? 200)
  return body
}

function openApiSchema(area: RouteArea, route: RouteDefinition) {
  const { params, querystring, body, headers, response } = route.schema
  return {
    tags: [area.name],
    summary: route.summary,
    description: [
      route.description,
      `Access: ${ACCESS_TEXT[route.access] ?? `permission \`${route.access}\``}.`,
    ]
      .filter(Boolean)
      .join('\n\n'),
    ...(route.access === 'public' ? {} : { security: [{ bearer: [] }] }),
    ...(params ? { params } : {}),
    ...(querystring ? { querystring } : {}),
    ...(body ? { body } : {}),
    ...(headers ? { headers } : {}),
    response: { ...response, '4xx': ErrorEnvelope, '5xx': ErrorEnvelope },
  }
}
