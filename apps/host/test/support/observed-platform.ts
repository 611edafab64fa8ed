import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { loadConfig } from '../../src/config/load-config.js'
import { createHostTelemetry } from '../../src/observability/host-telemetry.js'
import { type RunningServer, type ServerMode, startServer } from '../../src/server.js'
import { ADMIN_TOKEN } from './test-platform.js'
import type { CapturedLogs } from './tool-platform.js'

/** One request the tests made through `app.inject`, as the client saw it. */
export interface Exchange {
  readonly requestId: string
  readonly method: string
  readonly url: string
  readonly requestHeaders: Readonly<Record<string, unknown>>
  readonly requestBody: string
  readonly status: number
  readonly responseBody: string
}

interface ObservedProcess {
  readonly server: RunningServer
  readonly dataDir: string
  /** Every log line the process wrote (pino JSON, as it would reach stdout), from the start. */
  readonly logs: CapturedLogs
  /** Lines printed for people at start-up (not logs). */
  readonly printed: string[]
  /** Stops the server (exporting the last spans) and removes its data directory. Idempotent. */
  close(): Promise<void>
}

export interface ObservedPlatform extends ObservedProcess {
  /** The running server's app; `inject` records every exchange in `exchanges`. */
  readonly app: FastifyInstance
  readonly composition: RunningServer['composition']
  /** The API's base URL (the server listens on a free port). */
  readonly url: string
  readonly exchanges: Exchange[]
}

/**
 * The real server as `agentry start` runs it (`api` with `mode`), listening on a free port, its
 * observability made from the config as in production, except that log lines are captured instead
 * of written to stdout.
 */
export async function startObservedPlatform(
  environment: Record<string, string> = {},
  mode: 'all' | 'api' = 'all',
): Promise<ObservedPlatform> {
  const observed = await startObserved(environment, mode)
  const { app, url, composition } = observed.server
  if (!app || !url) throw new Error('the server did not start its API')
  const exchanges: Exchange[] = []
  return { ...observed, app: recordingApp(app, exchanges), composition, url, exchanges }
}

/** `agentry worker` alone, observed the same way. */
export function startObservedWorker(environment: Record<string, string> = {}): Promise<ObservedProcess> {
  return startObserved(environment, 'worker')
}

async function startObserved(
  environment: Record<string, string>,
  mode: ServerMode,
): Promise<ObservedProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'agentry-observed-'))
  const lines: string[] = []
  const printed: string[] = []
  try {
    const config = loadConfig({
      PORT: '0',
      AGENTRY_DATA_DIR: dataDir,
      AGENTRY_ADMIN_TOKEN: ADMIN_TOKEN,
      AGENTRY_SEED_DEMO: 'false',
      AGENTRY_MIGRATE_ON_START: 'true',
      ...environment,
    })
    const observability = createHostTelemetry(config, {
      serviceName: `agentry-test-${mode}`,
      logDestination: { write: (line: string) => void lines.push(line) },
    })
    const server = await startServer(config, { mode, print: (line) => printed.push(line), observability })
    let closing: Promise<void> | undefined
    return {
      server,
      dataDir,
      logs: { lines, text: () => lines.join('') },
      printed,
      close: () => {
        closing ??= server.stop().finally(() => rmSync(dataDir, { recursive: true, force: true }))
        return closing
      },
    }
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true })
    throw error
  }
}

/** The app, with `inject` recording each exchange (what `TestApi` calls). */
function recordingApp(app: FastifyInstance, exchanges: Exchange[]): FastifyInstance {
  const inject = async (options: InjectOptions): Promise<LightMyRequestResponse> => {
    const response = await app.inject(options)
    exchanges.push({
      requestId: String(response.headers['x-request-id']),
      method: String(options.method ?? 'GET'),
      url: String(options.url ?? ''),
      requestHeaders: { ...options.headers },
      requestBody: typeof options.payload === 'string' ? options.payload : '',
      status: response.statusCode,
      responseBody: response.body,
    })
    return response
  }
  return new Proxy(app, {
    get(target, property) {
      if (property === 'inject') return inject
      const value = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/** JSON log lines, parsed. */
export function parseLogLines(lines: readonly string[]): Record<string, unknown>[] {
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>)
}

/** Sums the samples of a metric in Prometheus text whose labels include `labels` (0 when none). */
export function metricValue(
  text: string,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number {
  let sum = 0
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!match || match[1] !== name) continue
    const present = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((pair) => [
        pair[1],
        pair[2],
      ]),
    )
    if (Object.entries(labels).every(([key, value]) => present[key] === value)) sum += Number(match[3])
  }
  return sum
}
