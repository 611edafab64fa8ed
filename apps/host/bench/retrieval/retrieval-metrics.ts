/** nDCG@k with graded gains `2^rel - 1` (as BEIR's pytrec_eval computes it). */
export function ndcgAt(ranked: readonly string[], relevant: ReadonlyMap<string, number>, k: number): number {
  let dcg = 0
  for (const [index, id] of ranked.slice(0, k).entries()) {
    dcg += (2 ** (relevant.get(id) ?? 0) - 1) / Math.log2(index + 2)
  }
  let ideal = 0
  for (const [index, grade] of [...relevant.values()]
    .sort((a, b) => b - a)
    .slice(0, k)
    .entries()) {
    ideal += (2 ** grade - 1) / Math.log2(index + 2)
  }
  return ideal === 0 ? 0 : dcg / ideal
}

/** The share of the relevant documents found in the first k. */
export function recallAt(
  ranked: readonly string[],
  relevant: ReadonlyMap<string, number>,
  k: number,
): number {
  if (relevant.size === 0) return 0
  return ranked.slice(0, k).filter((id) => relevant.has(id)).length / relevant.size
}

/** The nearest-rank percentile (`p` in 0..100) of the values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((total, value) => total + value, 0) / values.length
}
