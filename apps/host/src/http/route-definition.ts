import type { Permission } from '@agentry/contracts'
import type { RequestContext } from '@agentry/core'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import type { HostServices } from './host-services.js'

/**
 * Who may call a route: a permission (checked on the API key or the user's role), any tenant actor
 * (`authenticated`), only the platform admin token (`platform-admin`), or anyone (`public`).
 */
export type RouteAccess = Permission | 'authenticated' | 'platform-admin' | 'public'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface RouteSchemas {
  readonly params?: z.ZodType
  readonly querystring?: z.ZodType
  readonly body?: z.ZodType
  /** Request headers the route reads (documented in OpenAPI; never required). */
  readonly headers?: z.ZodType
  /** The success responses by status; the error envelope is added for 4xx and 5xx. */
  readonly response: Readonly<Record<number, z.ZodType>>
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined

/** What a handler gets: validated input, the caller as a core `RequestContext`, and a signal. */
export interface RouteCall<S extends RouteSchemas> {
  readonly params: Parsed<S['params']>
  readonly query: Parsed<S['querystring']>
  readonly body: Parsed<S['body']>
  readonly headers: Parsed<S['headers']>
  /** The authenticated actor and the request id; `public` routes get a `system` actor. */
  readonly context: RequestContext
  /** Aborted when the client goes away before the response is sent. */
  readonly signal: AbortSignal
  readonly request: FastifyRequest
  readonly reply: FastifyReply
}

/**
 * One route, declared as data so tests can sweep the whole table (isolation, RBAC, bad input) and
 * OpenAPI is generated from the same zod schemas that validate requests. `url` is relative to
 * `/api/v1` unless `isRoot`; path parameters are named after their resource (`:agentId`).
 */
export interface RouteDefinition<S extends RouteSchemas = RouteSchemas> {
  readonly method: HttpMethod
  readonly url: string
  readonly access: RouteAccess
  readonly summary: string
  readonly description?: string
  /** The success status; 200 when absent. */
  readonly status?: number
  /** Mounted at the server root instead of under `/api/v1` (health checks). */
  readonly isRoot?: boolean
  readonly schema: S
  /**
   * Calls one service and returns the response body (build it with `data()` or `page()`), or
   * `undefined` after writing the reply itself (streams, 204).
   */
  readonly handler: (call: RouteCall<S>, services: HostServices) => Promise<unknown>
}

/** A group of routes in one file (`routes/<area>-routes.ts`), registered in `routes/route-areas.ts`. */
export interface RouteArea {
  /** Also the OpenAPI tag. */
  readonly name: string
  readonly routes: readonly RouteDefinition[]
  /** Runs in the area's own plugin scope before its routes (e.g. a body parser only it accepts). */
  readonly setup?: (app: FastifyInstance, services: HostServices) => Promise<void>
}

/** Keeps the handler's types tied to its schemas, then stores it in the untyped table. */
export function defineRoute<S extends RouteSchemas>(route: RouteDefinition<S>): RouteDefinition {
  return route as unknown as RouteDefinition
}

export function defineArea(
  name: string,
  routes: readonly RouteDefinition[],
  setup?: RouteArea['setup'],
): RouteArea {
  return setup ? { name, routes, setup } : { name, routes }
}

/** The full path of a route as the server serves it. */
export function routePath(route: Pick<RouteDefinition, 'url' | 'isRoot'>): string {
  return route.isRoot ? route.url : `/api/v1${route.url}`
}
