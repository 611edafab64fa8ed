import { AgentryProcess, runAgentry } from './agentry-process.js'
import { AlternatingHttp } from './alternating-http.js'
import { GatedEmbeddingServer } from './gated-embedding-server.js'
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase, testRedisPrefix } from './test-database.js'
import { ADMIN_TOKEN } from './test-platform.js'

const LISTENING = /listening on (http:\/\/\S+?)\/api\/v1\b/
const WORKER_READY = /^Worker: .*kb\.index/
const STOP_GRACE_MS = 5_000

export interface ClusterOptions {
  readonly apis?: number
  readonly workers?: number
  /** Added to every process's environment. */
  readonly environment?: Record<string, string>
}

/**
 * `agentry migrate`, then API and worker processes of the built CLI on one fresh PostgreSQL
 * database and one Redis key prefix, as a production deployment runs them. Embeddings come from a
 * local gated server (each process has its own path there: `api-1`, `worker-1`, ...); jobs whose
 * worker dies run elsewhere within seconds (short job lock and stalled check).
 */
export class DistributedCluster {
  readonly database: TestDatabase
  readonly embeddings: GatedEmbeddingServer
  readonly apis: readonly AgentryProcess[]
  readonly workers: readonly AgentryProcess[]
  /** Each request to the next API process in turn. */
  readonly http: AlternatingHttp

  private constructor(
    database: TestDatabase,
    embeddings: GatedEmbeddingServer,
    apis: AgentryProcess[],
    workers: AgentryProcess[],
    apiUrls: string[],
  ) {
    this.database = database
    this.embeddings = embeddings
    this.apis = apis
    this.workers = workers
    this.http = new AlternatingHttp(apiUrls)
  }

  static async start(options: ClusterOptions = {}): Promise<DistributedCluster> {
    const database = await createTestDatabase()
    const embeddings = await GatedEmbeddingServer.start()
    const started: AgentryProcess[] = []
    try {
      const redisPrefix = testRedisPrefix()
      const environment = (client: string): Record<string, string> => ({
        DATABASE_URL: database.url,
        REDIS_URL: TEST_REDIS_URL,
        AGENTRY_REDIS_PREFIX: redisPrefix,
        AGENTRY_ADMIN_TOKEN: ADMIN_TOKEN,
        AGENTRY_JWT_SECRET: 'distributed-test-secret-0123456789abcdef',
        AGENTRY_LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        PORT: '0',
        AGENTRY_EMBEDDING_MODEL: 'openai:text-embedding-3-small',
        AGENTRY_EMBEDDING_DIMENSIONS: '64',
        OPENAI_API_KEY: 'sk-distributed-test',
        OPENAI_BASE_URL: embeddings.baseUrl(client),
        AGENTRY_JOB_LOCK_MS: '2000',
        AGENTRY_JOB_STALLED_CHECK_MS: '1000',
        AGENTRY_SHUTDOWN_GRACE_MS: '2000',
        ...options.environment,
      })
      await runAgentry(['migrate'], environment('migrate'))
      const apis = Array.from({ length: options.apis ?? 2 }, (_, index) =>
        AgentryProcess.start(`api-${index + 1}`, ['api'], environment(`api-${index + 1}`)),
      )
      const workers = Array.from({ length: options.workers ?? 2 }, (_, index) =>
        AgentryProcess.start(`worker-${index + 1}`, ['worker'], environment(`worker-${index + 1}`)),
      )
      started.push(...apis, ...workers)
      const [apiUrls] = await Promise.all([
        Promise.all(apis.map(async (api) => (await api.waitForLine(LISTENING))[1] as string)),
        Promise.all(workers.map((worker) => worker.waitForLine(WORKER_READY))),
      ])
      return new DistributedCluster(database, embeddings, apis, workers, apiUrls)
    } catch (error) {
      await stopAll(started)
      await embeddings.stop()
      await database.drop()
      throw error
    }
  }

  /** Stops every process still running (SIGTERM, then SIGKILL past a grace), the embeddings server, and drops the database. */
  async close(): Promise<void> {
    await stopAll([...this.apis, ...this.workers])
    await this.embeddings.stop()
    await this.database.drop()
  }
}

async function stopAll(processes: readonly AgentryProcess[]): Promise<void> {
  await Promise.all(
    processes.map(async (member) => {
      if (!member.isRunning) return
      const timer = setTimeout(() => member.child.kill('SIGKILL'), STOP_GRACE_MS)
      try {
        await member.stop('SIGTERM')
      } finally {
        clearTimeout(timer)
      }
    }),
  )
}
