import {
  type CallOptions,
  type Clock,
  CoreError,
  createUuidV7Generator,
  type EnqueueOptions,
  type IdGenerator,
  type Job,
  type JobHandler,
  type JobId,
  type JobQueue,
  type JsonValue,
  type NewJob,
  type ProcessOptions,
  type QueueDepth,
  type SystemScope,
  systemClock,
  type TenantScope,
  type Worker,
} from '@agentry/contracts'
import { throwIfAborted } from './abort.js'

export interface MemoryJobQueueOptions {
  readonly clock?: Clock
  readonly ids?: IdGenerator
  /** How long `close()` waits for running jobs after aborting their signals; default 10 s. */
  readonly closeGraceMs?: number
  /** Completed and failed jobs kept (for `get`, idempotency and `listFailed`); oldest go first. */
  readonly maxFinishedJobs?: number
}

interface Entry {
  job: Job
  readonly backoffMs: number
  readonly idempotencyId: string | null
  timer: ReturnType<typeof setTimeout> | null
}

interface WorkerState {
  readonly kind: string
  readonly handler: JobHandler
  readonly concurrency: number
  readonly running: Set<Promise<void>>
  isStopped: boolean
}

interface KindState {
  readonly waiting: JobId[]
  readonly workers: WorkerState[]
}

/**
 * Jobs in process memory, for the embedded runtime and tests: FIFO per kind, per-kind concurrency,
 * delays, retries with exponential backoff, idempotency keys per kind and company, and a dead-letter view of
 * failed jobs. Nothing survives a restart; one process only.
 */
export class MemoryJobQueue implements JobQueue {
  readonly #clock: Clock
  readonly #ids: IdGenerator
  readonly #closeGraceMs: number
  readonly #maxFinishedJobs: number
  readonly #entries = new Map<JobId, Entry>()
  readonly #kinds = new Map<string, KindState>()
  readonly #idempotency = new Map<string, JobId>()
  readonly #finished: JobId[] = []
  readonly #closing = new AbortController()
  #closed: Promise<void> | null = null

  constructor(options: MemoryJobQueueOptions = {}) {
    this.#clock = options.clock ?? systemClock
    this.#ids = options.ids ?? createUuidV7Generator(this.#clock)
    this.#closeGraceMs = options.closeGraceMs ?? 10_000
    this.#maxFinishedJobs = options.maxFinishedJobs ?? 10_000
  }

  async enqueue(newJob: NewJob, options: EnqueueOptions = {}): Promise<Job> {
    throwIfAborted(options, `Enqueueing a ${newJob.kind} job`)
    this.#assertOpen()
    const { attempts = 3, backoffMs = 1000, delayMs = 0 } = options
    validate(newJob, attempts, backoffMs, delayMs)
    const idempotencyId =
      options.idempotencyKey === undefined
        ? null
        : `${newJob.kind}\u0000${newJob.companyId ?? ''}\u0000${options.idempotencyKey}`
    const existing = idempotencyId === null ? undefined : this.#idempotency.get(idempotencyId)
    if (existing !== undefined) {
      const entry = this.#entries.get(existing)
      if (entry) return structuredClone(entry.job)
    }
    const now = this.#clock.now()
    const job: Job = {
      id: this.#ids.next() as JobId,
      kind: newJob.kind,
      companyId: newJob.companyId,
      payload: structuredClone(newJob.payload),
      status: delayMs > 0 ? 'delayed' : 'waiting',
      attempts: 0,
      maxAttempts: attempts,
      result: null,
      error: null,
      createdAt: now,
      updatedAt: now,
    }
    const entry: Entry = { job, backoffMs, idempotencyId, timer: null }
    this.#entries.set(job.id, entry)
    if (idempotencyId !== null) this.#idempotency.set(idempotencyId, job.id)
    if (delayMs > 0) this.#delay(entry, delayMs)
    else this.#makeWaiting(entry)
    return structuredClone(job)
  }

  process<P extends JsonValue = JsonValue>(
    kind: string,
    handler: JobHandler<P>,
    options: ProcessOptions = {},
  ): Worker {
    this.#assertOpen()
    const concurrency = options.concurrency ?? 1
    if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
      throw new CoreError(
        'INVALID_INPUT',
        `concurrency must be a whole number of at least 1, got ${concurrency}`,
      )
    }
    const worker: WorkerState = {
      kind,
      handler: handler as JobHandler,
      concurrency,
      running: new Set(),
      isStopped: false,
    }
    this.#kind(kind).workers.push(worker)
    queueMicrotask(() => this.#drain(kind))
    return {
      stop: async () => {
        worker.isStopped = true
        const workers = this.#kind(kind).workers
        const index = workers.indexOf(worker)
        if (index >= 0) workers.splice(index, 1)
        await Promise.all(worker.running)
      },
    }
  }

  async get(scope: TenantScope | SystemScope, id: JobId, options?: CallOptions): Promise<Job | null> {
    throwIfAborted(options, 'Reading a job')
    const job = this.#entries.get(id)?.job
    if (!job) return null
    if (scope.type === 'tenant' && job.companyId !== scope.companyId) return null
    return structuredClone(job)
  }

  async depth(kind: string, options?: CallOptions): Promise<QueueDepth> {
    throwIfAborted(options, 'Reading queue depth')
    const depth = { waiting: 0, delayed: 0, active: 0, failed: 0 }
    for (const { job } of this.#entries.values()) {
      if (job.kind !== kind || job.status === 'completed') continue
      depth[job.status] += 1
    }
    return depth
  }

  async listFailed(kind: string, limit = 50, options?: CallOptions): Promise<readonly Job[]> {
    throwIfAborted(options, 'Listing failed jobs')
    const failed = [...this.#entries.values()]
      .map((entry) => entry.job)
      .filter((job) => job.kind === kind && job.status === 'failed')
      .sort((left, right) => right.updatedAt.getTime() - left.updatedAt.getTime())
    return structuredClone(failed.slice(0, Math.max(0, limit)))
  }

  close(): Promise<void> {
    this.#closed ??= this.#shutdown()
    return this.#closed
  }

  async #shutdown(): Promise<void> {
    const running: Promise<void>[] = []
    for (const state of this.#kinds.values()) {
      for (const worker of state.workers) {
        worker.isStopped = true
        running.push(...worker.running)
      }
    }
    for (const entry of this.#entries.values()) if (entry.timer) clearTimeout(entry.timer)
    this.#closing.abort(new CoreError('UNAVAILABLE', 'The job queue is closing'))
    let timer: ReturnType<typeof setTimeout> | undefined
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#closeGraceMs)
    })
    await Promise.race([Promise.all(running), grace])
    clearTimeout(timer)
  }

  #assertOpen(): void {
    if (this.#closed)
      throw new CoreError('UNAVAILABLE', 'The job queue is closed: create a new MemoryJobQueue')
  }

  #kind(kind: string): KindState {
    let state = this.#kinds.get(kind)
    if (!state) {
      state = { waiting: [], workers: [] }
      this.#kinds.set(kind, state)
    }
    return state
  }

  #update(entry: Entry, change: Partial<Pick<Job, 'status' | 'attempts' | 'result' | 'error'>>): void {
    entry.job = { ...entry.job, ...change, updatedAt: this.#clock.now() }
  }

  #delay(entry: Entry, delayMs: number): void {
    entry.timer = setTimeout(() => {
      entry.timer = null
      this.#makeWaiting(entry)
    }, delayMs)
  }

  #makeWaiting(entry: Entry): void {
    if (this.#closed) return
    this.#update(entry, { status: 'waiting' })
    this.#kind(entry.job.kind).waiting.push(entry.job.id)
    queueMicrotask(() => this.#drain(entry.job.kind))
  }

  #drain(kind: string): void {
    if (this.#closed) return
    const state = this.#kind(kind)
    while (state.waiting.length > 0) {
      const worker = state.workers.find(
        (candidate) => !candidate.isStopped && candidate.running.size < candidate.concurrency,
      )
      if (!worker) return
      const id = state.waiting.shift() as JobId
      const entry = this.#entries.get(id)
      if (entry?.job.status === 'waiting') this.#run(entry, worker)
    }
  }

  #run(entry: Entry, worker: WorkerState): void {
    this.#update(entry, { status: 'active', attempts: entry.job.attempts + 1 })
    const { job } = entry
    const context = {
      id: job.id,
      kind: job.kind,
      companyId: job.companyId,
      payload: structuredClone(job.payload),
      attempt: job.attempts,
      maxAttempts: job.maxAttempts,
      signal: this.#closing.signal,
    }
    const running: Promise<void> = Promise.resolve()
      .then(() => worker.handler(context))
      .then(
        (result) =>
          this.#finish(entry, 'completed', { result: result === undefined ? null : structuredClone(result) }),
        (error: unknown) => this.#fail(entry, error),
      )
      .finally(() => {
        worker.running.delete(running)
        this.#drain(worker.kind)
      })
    worker.running.add(running)
  }

  #fail(entry: Entry, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error)
    const isFinal = CoreError.isInstance(error) && !error.isRetryable
    if (isFinal || entry.job.attempts >= entry.job.maxAttempts || this.#closed) {
      this.#finish(entry, 'failed', { error: message })
      return
    }
    this.#update(entry, { status: 'delayed', error: message })
    this.#delay(entry, entry.backoffMs * 2 ** (entry.job.attempts - 1))
  }

  #finish(
    entry: Entry,
    status: 'completed' | 'failed',
    change: Partial<Pick<Job, 'result' | 'error'>>,
  ): void {
    this.#update(entry, { status, ...change })
    this.#finished.push(entry.job.id)
    while (this.#finished.length > this.#maxFinishedJobs) {
      const evicted = this.#entries.get(this.#finished.shift() as JobId)
      if (!evicted) continue
      this.#entries.delete(evicted.job.id)
      if (evicted.idempotencyId !== null) this.#idempotency.delete(evicted.idempotencyId)
    }
  }
}

function validate(job: NewJob, attempts: number, backoffMs: number, delayMs: number): void {
  if (typeof job.kind !== 'string' || job.kind.length === 0) {
    throw new CoreError('INVALID_INPUT', 'A job needs a kind, e.g. "kb.index"')
  }
  if (!(Number.isInteger(attempts) && attempts >= 1)) {
    throw new CoreError('INVALID_INPUT', `attempts must be a whole number of at least 1, got ${attempts}`)
  }
  if (!(Number.isFinite(backoffMs) && backoffMs >= 0) || !(Number.isFinite(delayMs) && delayMs >= 0)) {
    throw new CoreError('INVALID_INPUT', 'backoffMs and delayMs must be 0 or more milliseconds')
  }
}
