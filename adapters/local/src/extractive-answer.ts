import type { ContextPassage } from '@agentry/contracts'
import { contentStems, splitSentences } from './text-features.js'

export interface ExtractiveAnswer {
  readonly text: string
  /** The `[n]` markers the text cites, ascending. */
  readonly cited: readonly number[]
}

interface Candidate {
  readonly passage: number
  readonly position: number
  readonly sentence: string
  readonly stems: ReadonlySet<string>
  score: number
}

const MAX_SENTENCES = 3
/** A sentence must score at least this share of the best one to be quoted with it. */
const RELATIVE_CUTOFF = 0.5

/**
 * Answers `question` by quoting the passage sentences that share the most (rarity-weighted) content
 * words with it, each followed by its passage's `[n]` marker. Returns null when no sentence shares a
 * content word, so the caller can say it does not know. Sentences are quoted in passage order.
 */
export function extractiveAnswer(
  question: string,
  passages: readonly ContextPassage[],
): ExtractiveAnswer | null {
  const questionStems = new Set(contentStems(question))
  if (questionStems.size === 0) return null
  const candidates: Candidate[] = []
  for (const passage of passages) {
    splitSentences(passage.text).forEach((sentence, position) => {
      candidates.push({
        passage: passage.index,
        position,
        sentence,
        stems: new Set(contentStems(sentence)),
        score: 0,
      })
    })
  }
  const documentFrequency = new Map<string, number>()
  for (const candidate of candidates) {
    for (const word of questionStems) {
      if (candidate.stems.has(word)) documentFrequency.set(word, (documentFrequency.get(word) ?? 0) + 1)
    }
  }
  for (const candidate of candidates) {
    for (const word of questionStems) {
      const frequency = documentFrequency.get(word)
      if (frequency && candidate.stems.has(word))
        candidate.score += Math.log(1 + candidates.length / frequency)
    }
  }
  const ranked = candidates
    .filter((candidate) => candidate.score > 0)
    .sort(
      (left, right) =>
        right.score - left.score || left.passage - right.passage || left.position - right.position,
    )
  const best = ranked[0]
  if (!best) return null
  const chosen = ranked
    .filter((candidate) => candidate.score >= best.score * RELATIVE_CUTOFF)
    .slice(0, MAX_SENTENCES)
    .sort((left, right) => left.passage - right.passage || left.position - right.position)
  const quotes = chosen.map((candidate) => `"${candidate.sentence}" [${candidate.passage}]`)
  const cited = [...new Set(chosen.map((candidate) => candidate.passage))].sort((left, right) => left - right)
  return { text: `According to the knowledge base: ${quotes.join(' ')}`, cited }
}
