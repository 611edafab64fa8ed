import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import type { LogFields, Logger } from '@agentry/contracts'
import { noopTelemetry } from '@agentry/contracts'
import type { FastifyInstance } from 'fastify'
import pino from 'pino'
import { buildApp } from '../../src/app.js'
import { type Composition, compose } from '../../src/compose.js'
import { loadConfig } from '../../src/config/load-config.js'
import { ADMIN_TOKEN } from './test-platform.js'

export interface RecordedRequest {
  readonly method: string
  readonly url: string
  readonly headers: IncomingMessage['headers']
  readonly body: string
}

export interface LocalServer {
  readonly origin: string
  readonly port: number
  readonly requests: RecordedRequest[]
  close(): Promise<void>
}

/** A loopback HTTP server standing in for a company's API; records every request it receives. */
export async function startLocalServer(
  handler: (request: RecordedRequest, response: ServerResponse) => void,
): Promise<LocalServer> {
  const requests: RecordedRequest[] = []
  const server = createServer((incoming, response) => {
    let body = ''
    incoming.on('data', (chunk) => {
      body += chunk
    })
    incoming.on('end', () => {
      const request = {
        method: incoming.method ?? '',
        url: incoming.url ?? '',
        headers: incoming.headers,
        body,
      }
      requests.push(request)
      handler(request, response)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Every log line the platform wrote: the core's Telemetry logger and Fastify's pino logger. */
export interface CapturedLogs {
  readonly lines: string[]
  text(): string
}

function capturingLogger(lines: string[], base: LogFields = {}): Logger {
  const write =
    (level: string) =>
    (message: string, fields: LogFields = {}) => {
      lines.push(JSON.stringify({ level, message, ...base, ...fields }))
    }
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (fields) => capturingLogger(lines, { ...base, ...fields }),
  }
}

export interface ToolPlatform {
  readonly app: FastifyInstance
  readonly composition: Composition
  readonly logs: CapturedLogs
  close(): Promise<void>
}

/**
 * The platform as `agentry start` composes it (embedded PGlite in a temp directory unless the
 * environment names a database), with loopback
 * allowed for the outbound guard (as the operator's AGENTRY_OUTBOUND_ALLOW_LOOPBACK says) and every
 * log line captured at debug level.
 */
export async function startToolPlatform(
  environment: Record<string, string> = {},
  onClose: () => Promise<void> = async () => undefined,
): Promise<ToolPlatform> {
  const dataDir = mkdtempSync(join(tmpdir(), 'agentry-tools-'))
  const lines: string[] = []
  const logs = { lines, text: () => lines.join('\n') }
  const config = loadConfig({
    AGENTRY_DATA_DIR: dataDir,
    AGENTRY_ADMIN_TOKEN: ADMIN_TOKEN,
    AGENTRY_LOG_LEVEL: 'debug',
    AGENTRY_MIGRATE_ON_START: 'true',
    AGENTRY_OUTBOUND_ALLOW_LOOPBACK: 'true',
    ...environment,
  })
  const composition = await compose(config, {
    telemetry: { ...noopTelemetry, logger: capturingLogger(lines) },
    log: (line) => lines.push(line),
  })
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk))
      done()
    },
  })
  const app = await buildApp(composition, { logger: pino({ level: 'debug' }, stream) })
  return {
    app,
    composition,
    logs,
    close: async () => {
      await app.close()
      await composition.close()
      await onClose()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
