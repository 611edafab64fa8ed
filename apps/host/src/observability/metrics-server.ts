import { randomUUID } from 'node:crypto'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CoreError } from '@agentry/contracts'
import { errorBody } from '../http/error-reply.js'
import { ERROR_STATUS } from '../http/error-status.js'
import type { MetricsEndpoint } from './metrics-endpoint.js'

export interface MetricsServer {
  /** `http://host:port`, the port picked when 0 was asked for. */
  readonly url: string
  close(): Promise<void>
}

/**
 * The worker's small HTTP listener (`AGENTRY_WORKER_METRICS_PORT`): `GET /metrics` (the same
 * Prometheus text and token rule as the API's) and `GET /healthz` for liveness probes; 404 else.
 */
export async function startMetricsServer(
  endpoint: MetricsEndpoint,
  options: { readonly port: number; readonly host: string },
): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]
    if (request.method !== 'GET' || (path !== '/metrics' && path !== '/healthz')) {
      sendJson(
        response,
        404,
        errorBody(new CoreError('NOT_FOUND', 'Only GET /metrics and GET /healthz.'), randomUUID()),
      )
      return
    }
    if (path === '/healthz') {
      sendJson(response, 200, { data: { status: 'ok' } })
      return
    }
    Promise.resolve()
      .then(() => endpoint.authorize(request.headers.authorization))
      .then(() => endpoint.render())
      .then(
        (text) => response.writeHead(200, { 'content-type': endpoint.contentType }).end(text),
        (error: unknown) => {
          const failure = CoreError.isInstance(error)
            ? error
            : new CoreError('INTERNAL', 'The metrics could not be rendered.', { cause: error })
          sendJson(response, ERROR_STATUS[failure.code], errorBody(failure, randomUUID()))
        },
      )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const host = options.host.includes(':') ? `[${options.host}]` : options.host
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body))
}
