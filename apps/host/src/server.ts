import type { TelemetryAdapters } from '@agentry/telemetry'
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { buildApp } from './app.js'
import { type Composition, compose } from './compose.js'
import type { Config } from './config/load-config.js'
import { demoInstructions } from './demo/demo-instructions.js'
import { seedDemo } from './demo/seed-demo.js'
import { InFlightTurns } from './http/in-flight-turns.js'
import { JOB_HANDLERS } from './jobs/job-handlers.js'
import { createHostTelemetry } from './observability/host-telemetry.js'
import { MetricsEndpoint } from './observability/metrics-endpoint.js'
import { type MetricsServer, startMetricsServer } from './observability/metrics-server.js'
import { type RunningWorker, startWorker } from './worker.js'

export type ServerMode = 'all' | 'api' | 'worker'

/** `service.name` of spans and `service` of log lines per mode, unless `OTEL_SERVICE_NAME` says otherwise. */
const SERVICE_NAMES: Readonly<Record<ServerMode, string>> = {
  all: 'agentry',
  api: 'agentry-api',
  worker: 'agentry-worker',
}

export interface StartServerOptions {
  /** `all`: API and worker in one process (`agentry start`); `api` or `worker` alone. */
  readonly mode: ServerMode
  /** Human-readable start-up lines (URL, key, curl); stdout when absent. */
  readonly print?: (line: string) => void
  /**
   * The process's logs, metrics and spans; made from the config (`AGENTRY_LOG_LEVEL`,
   * `AGENTRY_LOG_REDACT`, `OTEL_EXPORTER_OTLP_ENDPOINT`, ...) when absent. `stop()` shuts it down.
   */
  readonly observability?: TelemetryAdapters
}

export interface RunningServer {
  /** The base URL the API listens on; null for a worker alone. */
  readonly url: string | null
  readonly app: FastifyInstance | null
  readonly composition: Composition
  readonly worker: RunningWorker | null
  readonly observability: TelemetryAdapters
  /** The worker's `/metrics` listener (`AGENTRY_WORKER_METRICS_PORT`, `agentry worker` only); else null. */
  readonly metricsUrl: string | null
  /**
   * Stops accepting requests, lets running turns finish for up to `AGENTRY_SHUTDOWN_GRACE_MS`
   * (then cancels them), stops the worker, closes every adapter and exports the last spans. Idempotent.
   */
  stop(): Promise<void>
}

/** `loadConfig -> compose -> buildApp -> listen`, plus the worker and, on first start, the demo. */
export async function startServer(config: Config, options: StartServerOptions): Promise<RunningServer> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`))
  const observability =
    options.observability ?? createHostTelemetry(config, { serviceName: SERVICE_NAMES[options.mode] })
  const logger = observability.pino
  let composition: Composition
  try {
    composition = await compose(config, { log: print, telemetry: observability.telemetry })
  } catch (error) {
    await observability.shutdown().catch(() => undefined)
    throw error
  }
  const turns = new InFlightTurns()
  let app: FastifyInstance | null = null
  let worker: RunningWorker | null = null
  let metricsServer: MetricsServer | null = null
  try {
    if (options.mode !== 'api') {
      worker = startWorker(composition, JOB_HANDLERS, {
        observability,
        reportScheduleError: (error) =>
          logger.warn({ err: error }, 'A scheduled job could not be enqueued; it is tried again later.'),
      })
    }
    if (options.mode !== 'worker') {
      app = await buildApp({ ...composition, turns }, { logger, observability })
      await app.listen({ port: config.port, host: config.host })
    } else if (config.observability.workerMetricsPort !== undefined) {
      metricsServer = await startMetricsServer(metricsEndpoint(composition, observability), {
        port: config.observability.workerMetricsPort,
        host: config.host,
      })
    }
  } catch (error) {
    await app?.close()
    await worker?.stop()
    await composition.close()
    await observability.shutdown().catch(() => undefined)
    throw error
  }
  const url = app ? baseUrl(config, app) : null
  print(
    `Storage: ${composition.description.storage}; queue, locks and rate limits: ${composition.description.coordination}.`,
  )
  if (worker)
    print(`Worker: ${worker.kinds.length === 0 ? 'no job kinds registered yet' : worker.kinds.join(', ')}.`)
  if (metricsServer) print(`Worker metrics on ${metricsServer.url}/metrics.`)
  if (observability.isTracing) print(`Tracing: spans are exported to ${config.observability.otlp?.endpoint}.`)
  if (url) {
    print(`Agentry API listening on ${url}/api/v1 (docs: ${url}/docs, OpenAPI: ${url}/openapi.json).`)
    if (options.mode === 'all' && config.seedDemo) {
      const seed = await seedDemo(composition, config.dataDir)
      for (const line of demoInstructions(seed, url)) print(line)
    }
  }
  let stopping: Promise<void> | undefined
  return {
    url,
    app,
    composition,
    worker,
    observability,
    metricsUrl: metricsServer?.url ?? null,
    stop: () => {
      stopping ??= shutdown(config.shutdownGraceMs, {
        app,
        turns,
        worker,
        metricsServer,
        composition,
        observability,
      })
      return stopping
    },
  }
}

interface Running {
  readonly app: FastifyInstance | null
  readonly turns: InFlightTurns
  readonly worker: RunningWorker | null
  readonly metricsServer: MetricsServer | null
  readonly composition: Composition
  readonly observability: TelemetryAdapters
}

async function shutdown(graceMs: number, running: Running): Promise<void> {
  const { app, turns, worker, metricsServer, composition, observability } = running
  const logger = observability.pino
  logger.info({ inFlightTurns: turns.size, graceMs }, 'shutting down')
  // Refuse new turns at once; running ones get the grace period, then are cancelled (and stored as failed).
  const drained = turns.drain(graceMs)
  const closed = app?.close()
  const isDrained = await drained
  if (!isDrained) logger.warn('shutdown grace ran out: running turns were cancelled')
  // Whatever is still open past the grace (a slow non-turn request) is cut shortly after.
  const cut = setTimeout(() => app?.server.closeAllConnections(), 2000)
  try {
    await closed
  } finally {
    clearTimeout(cut)
  }
  await worker?.stop()
  await metricsServer?.close()
  try {
    await composition.close()
  } finally {
    logger.info('stopped')
    // Exports the spans still queued; an unreachable collector costs them, not the shutdown.
    await observability.shutdown().catch(() => undefined)
  }
}

function metricsEndpoint(composition: Composition, observability: TelemetryAdapters): MetricsEndpoint {
  return new MetricsEndpoint({
    metrics: observability.metrics,
    queue: composition.queue,
    jobKinds: JOB_HANDLERS.map((definition) => definition.kind),
    token: composition.config.observability.metricsToken,
    logger: observability.telemetry.logger,
  })
}

function baseUrl(config: Config, app: FastifyInstance): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/$/, '')
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`
}

/** Runs until SIGTERM or SIGINT, then shuts down gracefully and exits 0 (1 if shutdown failed). */
export function stopOnSignals(server: Pick<RunningServer, 'stop'>, logger?: Logger): void {
  const onSignal = (signal: NodeJS.Signals) => {
    logger?.info({ signal }, 'signal received')
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger?.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.once('SIGTERM', onSignal)
  process.once('SIGINT', onSignal)
}
