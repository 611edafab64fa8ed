import { CoreError } from '@agentry/contracts'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify'
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod'
import { Authenticator } from './http/authenticator.js'
import { requestIdOf, sendError, toHttpError } from './http/error-reply.js'
import { type AppDependencies, createHostServices } from './http/host-services.js'
import { RequestRateLimits } from './http/request-rate-limits.js'
import { routeAreaPlugin } from './http/route-area-plugin.js'
import type { RouteArea } from './http/route-definition.js'
import { type ApiObservability, registerApiObservability } from './observability/api-observability.js'
import { ROUTE_AREAS } from './routes/route-areas.js'

export interface BuildAppOptions {
  /** A pino logger; one at `config.logLevel` on stdout when absent. */
  readonly logger?: FastifyBaseLogger
  /** The route areas to serve; every registered area when absent. */
  readonly areas?: readonly RouteArea[]
  readonly version?: string
  /**
   * The process's telemetry (`TelemetryAdapters`): a span, log context and HTTP metrics for every
   * request, and `GET /metrics`. Without it, none of these (the core's logs go nowhere either).
   */
  readonly observability?: ApiObservability
}

/**
 * The HTTP API as a Fastify instance that never listens by itself (tests use `inject`). Every route
 * comes from the route table; requests are validated and OpenAPI is generated from the same zod
 * schemas; every answer carries `X-Request-Id`; every failure is the error envelope.
 */
export async function buildApp(
  dependencies: AppDependencies,
  options: BuildAppOptions = {},
): Promise<FastifyInstance> {
  const { config } = dependencies
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: { level: config.logLevel } }),
    bodyLimit: config.bodyLimitBytes,
    requestIdHeader: false,
    genReqId: requestIdOf,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    // Errors before routing (a malformed URL such as /agents/%zz) get the same envelope.
    frameworkErrors: (error, request, reply) => {
      reply.header('x-request-id', request.id)
      sendError(request, reply, toHttpError(error, config.bodyLimitBytes))
    },
  }).withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.decorateRequest('agentryActor', null)
  acceptOnlyJson(app)

  if (options.observability) registerApiObservability(app, dependencies, options.observability)
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  app.addHook('onResponse', async (request, reply) => {
    const actor = request.agentryActor
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? null,
        path: request.url.split('?')[0],
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime),
        ...(actor && 'companyId' in actor ? { companyId: actor.companyId } : {}),
      },
      'request',
    )
  })
  app.setErrorHandler((error, request, reply) =>
    sendError(request, reply, toHttpError(error, config.bodyLimitBytes)),
  )
  app.setNotFoundHandler((request, reply) =>
    sendError(
      request,
      reply,
      new CoreError(
        'NOT_FOUND',
        `No route ${request.method} ${request.url.split('?')[0]}: the API is described at /docs and /openapi.json.`,
      ),
    ),
  )

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Agentry API',
        version: options.version ?? '0.1.0',
        description: 'Multi-tenant platform for AI agents. Envelope `{ data }`, errors `{ error }`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())

  const services = createHostServices(dependencies)
  const authenticator = new Authenticator(
    dependencies.agentry,
    dependencies.userTokens,
    services.apiKeyCache,
    config.adminToken,
  )
  const rateLimits = new RequestRateLimits(dependencies.rateLimiter, config.rateLimits)
  for (const area of options.areas ?? ROUTE_AREAS) {
    await app.register(routeAreaPlugin, { area, services, authenticator, rateLimits })
  }
  await app.ready()
  return app as unknown as FastifyInstance
}

/**
 * JSON only (others are 415), with an empty body read as no body, so `POST .../disable` with a
 * JSON content type and nothing else is fine. Prototype poisoning is refused as Fastify does.
 */
function acceptOnlyJson(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') {
      done(null, undefined)
      return
    }
    parseJson(request, body as string, done)
  })
}
