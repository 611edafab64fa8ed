import {
  type CallOptions,
  type ChunkId,
  CoreError,
  type VectorFilter,
  type VectorHit,
  type VectorPoint,
  type VectorQuery,
  type VectorStore,
} from '@agentry/contracts'
import { throwIfAborted } from './abort.js'
import { matchesFilter } from './vector-filter.js'

export interface MemoryVectorStoreOptions {
  /** Length of every vector; must match the embedding model's dimensions. */
  readonly dimensions: number
}

interface StoredPoint {
  readonly point: VectorPoint
  readonly norm: number
}

/**
 * Exact cosine search over every point of the filter's company: no index, so results are the
 * true nearest neighbours. Fine for the embedded runtime and tests up to some tens of thousands of
 * chunks per company; single process, not durable.
 */
export class MemoryVectorStore implements VectorStore {
  readonly dimensions: number
  readonly #companies = new Map<string, Map<ChunkId, StoredPoint>>()

  constructor(options: MemoryVectorStoreOptions) {
    if (!(Number.isInteger(options.dimensions) && options.dimensions >= 1)) {
      throw new CoreError(
        'INVALID_INPUT',
        `dimensions must be a whole number of at least 1, got ${options.dimensions}`,
      )
    }
    this.dimensions = options.dimensions
  }

  async upsert(points: readonly VectorPoint[], options?: CallOptions): Promise<void> {
    throwIfAborted(options, 'Upserting vectors')
    for (const point of points) this.#checkLength(point.vector, `Point ${point.id}`)
    for (const point of points) {
      const copy: VectorPoint = { ...point, vector: Float32Array.from(point.vector) }
      this.#company(point.companyId).set(point.id, { point: copy, norm: norm(copy.vector) })
    }
  }

  async query(request: VectorQuery, options?: CallOptions): Promise<readonly VectorHit[]> {
    throwIfAborted(options, 'Querying vectors')
    this.#checkLength(request.vector, 'The query vector')
    const points = this.#companies.get(request.filter.companyId)
    if (!points || request.topK <= 0) return []
    const queryNorm = norm(request.vector)
    const hits: VectorHit[] = []
    for (const { point, norm: pointNorm } of points.values()) {
      if (!matchesFilter(point, request.filter)) continue
      const denominator = queryNorm * pointNorm
      const score = denominator === 0 ? 0 : dot(point.vector, request.vector) / denominator
      hits.push({
        id: point.id,
        documentId: point.documentId,
        knowledgeBaseId: point.knowledgeBaseId,
        score: Math.max(-1, Math.min(1, score)),
      })
    }
    hits.sort((left, right) => right.score - left.score || (left.id < right.id ? -1 : 1))
    return hits.slice(0, request.topK)
  }

  async deleteByFilter(filter: VectorFilter, options?: CallOptions): Promise<number> {
    throwIfAborted(options, 'Deleting vectors')
    const points = this.#companies.get(filter.companyId)
    if (!points) return 0
    let removed = 0
    for (const [id, { point }] of points) {
      if (!matchesFilter(point, filter)) continue
      points.delete(id)
      removed += 1
    }
    return removed
  }

  async close(): Promise<void> {
    this.#companies.clear()
  }

  #company(companyId: string): Map<ChunkId, StoredPoint> {
    let points = this.#companies.get(companyId)
    if (!points) {
      points = new Map()
      this.#companies.set(companyId, points)
    }
    return points
  }

  #checkLength(vector: Float32Array, what: string): void {
    if (vector.length !== this.dimensions) {
      throw new CoreError(
        'INVALID_INPUT',
        `${what} has ${vector.length} dimensions but this store holds ${this.dimensions}: embed with a model of ${this.dimensions} dimensions`,
        { details: { expected: this.dimensions, actual: vector.length } },
      )
    }
  }
}

function dot(left: Float32Array, right: Float32Array): number {
  let sum = 0
  for (let index = 0; index < left.length; index += 1) sum += (left[index] ?? 0) * (right[index] ?? 0)
  return sum
}

function norm(vector: Float32Array): number {
  return Math.sqrt(dot(vector, vector))
}
