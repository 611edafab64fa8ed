import type { FastifyInstance } from 'fastify'
import pino, { type Logger } from 'pino'
import { buildApp } from './app.js'
import { type Composition, compose } from './compose.js'
import type { Config } from './config/load-config.js'
import { demoInstructions } from './demo/demo-instructions.js'
import { seedDemo } from './demo/seed-demo.js'
import { InFlightTurns } from './http/in-flight-turns.js'
import { type RunningWorker, startWorker } from './worker.js'

export type ServerMode = 'all' | 'api' | 'worker'

export interface StartServerOptions {
  /** `all`: API and worker in one process (`agentry start`); `api` or `worker` alone. */
  readonly mode: ServerMode
  /** Human-readable start-up lines (URL, key, curl); stdout when absent. */
  readonly print?: (line: string) => void
  readonly logger?: Logger
}

export interface RunningServer {
  /** The base URL the API listens on; null for a worker alone. */
  readonly url: string | null
  readonly app: FastifyInstance | null
  readonly composition: Composition
  readonly worker: RunningWorker | null
  /**
   * Stops accepting requests, lets running turns finish for up to `AGENTRY_SHUTDOWN_GRACE_MS`
   * (then cancels them), stops the worker and closes every adapter. Idempotent.
   */
  stop(): Promise<void>
}

/** `loadConfig -> compose -> buildApp -> listen`, plus the worker and, on first start, the demo. */
export async function startServer(config: Config, options: StartServerOptions): Promise<RunningServer> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`))
  const logger = options.logger ?? pino({ level: config.logLevel })
  const composition = await compose(config, { log: print })
  const turns = new InFlightTurns()
  let app: FastifyInstance | null = null
  let worker: RunningWorker | null = null
  try {
    if (options.mode !== 'api') {
      worker = startWorker(composition, undefined, (error) =>
        logger.warn({ err: error }, 'A scheduled job could not be enqueued; it is tried again later.'),
      )
    }
    if (options.mode !== 'worker') {
      app = await buildApp({ ...composition, turns }, { logger })
      await app.listen({ port: config.port, host: config.host })
    }
  } catch (error) {
    await app?.close()
    await worker?.stop()
    await composition.close()
    throw error
  }
  const url = app ? baseUrl(config, app) : null
  print(
    `Storage: ${composition.description.storage}; queue, locks and rate limits: ${composition.description.coordination}.`,
  )
  if (worker)
    print(`Worker: ${worker.kinds.length === 0 ? 'no job kinds registered yet' : worker.kinds.join(', ')}.`)
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
    stop: () => {
      stopping ??= shutdown(config.shutdownGraceMs, app, turns, worker, composition, logger)
      return stopping
    },
  }
}

async function shutdown(
  graceMs: number,
  app: FastifyInstance | null,
  turns: InFlightTurns,
  worker: RunningWorker | null,
  composition: Composition,
  logger: Logger,
): Promise<void> {
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
  await composition.close()
  logger.info('stopped')
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
