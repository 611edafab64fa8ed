/**
 * Text normalisation shared by the lexical embedder and the scripted model's extractive answers:
 * Unicode folding, words, a light English stemmer and stopwords. Deliberately small: the goal is
 * that "Resetting passwords" and "reset password" meet, not linguistic accuracy.
 */

const WORD = /[\p{L}\p{N}]+/gu
const COMBINING_MARKS = /\p{M}+/gu

/** Lowercase, compatibility-decomposed, without diacritics: `Crème Brûlée` -> `creme brulee`. */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase()
}

/** The folded words of `text`, in order. */
export function wordsOf(text: string): string[] {
  return foldText(text).match(WORD) ?? []
}

const STOPWORDS_LIST =
  'a about above after again against all am an and any are as at be because been before being below between both ' +
  'but by can could did do does doing down during each few for from further had has have having he her here hers ' +
  'him his how i if in into is it its itself just me more most my no nor not now of off on once only or other our ' +
  'ours out over own same she should so some such than that the their theirs them then there these they this ' +
  'those through to too under until up very was we were what when where which while who whom why will with would ' +
  'you your yours please tell know get got also us let take long much many need want make like way thing ' +
  'one well really yes ok okay hi hello thanks thank'

export const STOPWORDS: ReadonlySet<string> = new Set(STOPWORDS_LIST.split(' '))

const KEEP_DOUBLE = new Set(['l', 's', 'z'])

function undouble(stem: string): string {
  const last = stem.at(-1)
  if (stem.length > 3 && last && last === stem.at(-2) && !KEEP_DOUBLE.has(last) && /[a-z]/.test(last)) {
    return stem.slice(0, -1)
  }
  return stem
}

/** Strips common English inflections: `policies` -> `policy`, `resetting` -> `reset`, `boxes` -> `box`. */
export function stem(word: string): string {
  if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`
  if (word.endsWith('sses')) return word.slice(0, -2)
  if (/(?:x|ch|sh)es$/.test(word)) return word.slice(0, -2)
  if (word.endsWith('ing') && word.length > 5) return undouble(word.slice(0, -3))
  if (word.endsWith('ed') && word.length > 4) return undouble(word.slice(0, -2))
  if (word.endsWith('ly') && word.length > 4) return word.slice(0, -2)
  if (word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1)
  return word
}

/** The stems of the words of `text` that are not stopwords, in order. */
export function contentStems(text: string): string[] {
  return wordsOf(text)
    .filter((word) => !STOPWORDS.has(word))
    .map(stem)
    .filter((wordStem) => !STOPWORDS.has(wordStem))
}

/** Splits prose into sentences at `.`, `!`, `?` followed by space, and at line breaks. */
export function splitSentences(text: string): string[] {
  return text
    .split(/\n+/)
    .flatMap((line) => line.split(/(?<=[.!?])\s+(?=\S)/))
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0)
}
