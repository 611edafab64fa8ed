/**
 * Deterministic vectors for the vector-store kit, built for any number of dimensions (2 or more):
 * basis vectors, normalized blends of them, and seeded points at known angles to a query.
 */

/** A unit vector along axis `axis`. */
export function basisVector(dimensions: number, axis: number): Float32Array {
  const vector = new Float32Array(dimensions)
  vector[axis % dimensions] = 1
  return vector
}

/** The normalized sum `weight * e[axis]` over `weights` (`{ 0: 1, 1: 0.5 }`). */
export function blendVector(dimensions: number, weights: Readonly<Record<number, number>>): Float32Array {
  const vector = new Float32Array(dimensions)
  for (const [axis, weight] of Object.entries(weights)) {
    const index = Number(axis) % dimensions
    vector[index] = (vector[index] ?? 0) + weight
  }
  return normalize(vector)
}

/** Cosine similarity, computed in double precision. */
export function cosine(left: Float32Array, right: Float32Array): number {
  let dot = 0
  let leftNorm = 0
  let rightNorm = 0
  for (let index = 0; index < left.length; index += 1) {
    const a = left[index] ?? 0
    const b = right[index] ?? 0
    dot += a * b
    leftNorm += a * a
    rightNorm += b * b
  }
  return dot / Math.sqrt(leftNorm * rightNorm)
}

/** A small seeded generator (mulberry32), so every run builds the same vectors. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let value = state
    value = Math.imul(value ^ (value >>> 15), value | 1)
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61)
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296
  }
}

export function randomUnitVector(dimensions: number, random: () => number): Float32Array {
  const vector = new Float32Array(dimensions)
  for (let index = 0; index < dimensions; index += 1) vector[index] = random() * 2 - 1
  return normalize(vector)
}

/**
 * A unit vector whose cosine with the unit vector `query` is exactly `1 / sqrt(1 + spread^2)`:
 * `query` plus `spread` times a random direction orthogonal to it. Distinct spreads give clearly
 * separated similarities, so the true ranking is unambiguous even in float32.
 */
export function vectorNear(query: Float32Array, spread: number, random: () => number): Float32Array {
  const direction = randomUnitVector(query.length, random)
  const along = cosine(direction, query)
  for (let index = 0; index < query.length; index += 1) {
    direction[index] = (direction[index] ?? 0) - along * (query[index] ?? 0)
  }
  const orthogonal = normalize(direction)
  const vector = new Float32Array(query.length)
  for (let index = 0; index < query.length; index += 1) {
    vector[index] = (query[index] ?? 0) + spread * (orthogonal[index] ?? 0)
  }
  return normalize(vector)
}

function normalize(vector: Float32Array): Float32Array {
  let norm = 0
  for (const value of vector) norm += value * value
  norm = Math.sqrt(norm)
  if (norm === 0) return vector
  for (let index = 0; index < vector.length; index += 1) vector[index] = (vector[index] ?? 0) / norm
  return vector
}
