import type { ExtractedDocument, ExtractedHeading, Tokenizer } from '@agentry/contracts'

export interface ChunkingOptions {
  /** Upper bound on tokens per chunk (a single word longer than this is split by characters). */
  readonly maxTokens: number
  /** Tokens the start of a chunk repeats from the end of the previous one, within a section. */
  readonly overlapTokens: number
}

/** A chunk before it has ids: always a contiguous slice `[startOffset, endOffset)` of the document text. */
export interface ChunkDraft {
  readonly ordinal: number
  readonly text: string
  readonly tokenCount: number
  readonly headingPath: readonly string[]
  readonly page: number | null
  readonly startOffset: number
  readonly endOffset: number
}

interface Span {
  readonly start: number
  readonly end: number
  readonly tokens: number
}

const PARAGRAPH = /\n[ \t]*\n/g
const SENTENCE = /(?<=[.!?;:])\s+/g

/**
 * Splits a document into token-bounded chunks that never cross a heading. Within a section, text is
 * packed paragraph by paragraph (a paragraph over the limit by sentence, a sentence over the limit
 * by words), and each chunk after the first starts with whole paragraphs or sentences of the
 * previous one worth up to `overlapTokens`. Offsets are exact, so a citation can quote the source.
 */
export function chunkDocument(
  document: ExtractedDocument,
  tokenizer: Tokenizer,
  options: ChunkingOptions,
): ChunkDraft[] {
  const chunks: ChunkDraft[] = []
  for (const section of sectionsOf(document)) {
    const spans = unitsOf(document.text, section.start, section.end, tokenizer, options.maxTokens)
    let first = 0
    while (first < spans.length) {
      let last = first
      let tokens = spans[first]!.tokens
      while (last + 1 < spans.length && tokens + spans[last + 1]!.tokens <= options.maxTokens) {
        last += 1
        tokens += spans[last]!.tokens
      }
      const start = spans[first]!.start
      const end = spans[last]!.end
      const text = document.text.slice(start, end)
      chunks.push({
        ordinal: chunks.length,
        text,
        tokenCount: tokenizer.count(text),
        headingPath: section.headingPath,
        page: pageAt(document.pageOffsets, start),
        startOffset: start,
        endOffset: end,
      })
      if (last + 1 >= spans.length) break
      first = overlapStart(spans, first, last, options.overlapTokens)
    }
  }
  return chunks
}

/** The first span of the next chunk: as far back as the overlap allows, but always past `first`. */
function overlapStart(spans: readonly Span[], first: number, last: number, overlapTokens: number): number {
  let next = last + 1
  let tokens = 0
  while (next - 1 > first && tokens + spans[next - 1]!.tokens <= overlapTokens) {
    next -= 1
    tokens += spans[next]!.tokens
  }
  return next
}

interface Section {
  readonly start: number
  readonly end: number
  readonly headingPath: readonly string[]
}

function sectionsOf(document: ExtractedDocument): Section[] {
  const headings = [...document.headings].sort((a, b) => a.offset - b.offset)
  const sections: Section[] = []
  const stack: ExtractedHeading[] = []
  let start = 0
  let path: readonly string[] = []
  for (const heading of headings) {
    if (heading.offset > start) sections.push({ start, end: heading.offset, headingPath: path })
    while (stack.length > 0 && stack[stack.length - 1]!.level >= heading.level) stack.pop()
    stack.push(heading)
    path = stack.map((entry) => entry.title)
    start = Math.max(start, heading.offset)
  }
  sections.push({ start, end: document.text.length, headingPath: path })
  return sections.filter((section) => document.text.slice(section.start, section.end).trim() !== '')
}

/** Paragraphs, or sentences and words where a paragraph or sentence is over `maxTokens`; trimmed. */
function unitsOf(text: string, start: number, end: number, tokenizer: Tokenizer, maxTokens: number): Span[] {
  const spans: Span[] = []
  for (const [paragraphStart, paragraphEnd] of split(text, start, end, PARAGRAPH)) {
    const paragraph = measure(text, paragraphStart, paragraphEnd, tokenizer)
    if (!paragraph) continue
    if (paragraph.tokens <= maxTokens) {
      spans.push(paragraph)
      continue
    }
    for (const [sentenceStart, sentenceEnd] of split(text, paragraphStart, paragraphEnd, SENTENCE)) {
      const sentence = measure(text, sentenceStart, sentenceEnd, tokenizer)
      if (!sentence) continue
      if (sentence.tokens <= maxTokens) spans.push(sentence)
      else spans.push(...splitByWords(text, sentence, tokenizer, maxTokens))
    }
  }
  return spans
}

function split(text: string, start: number, end: number, separator: RegExp): [number, number][] {
  const pieces: [number, number][] = []
  const slice = text.slice(start, end)
  let from = 0
  for (const match of slice.matchAll(separator)) {
    pieces.push([start + from, start + match.index])
    from = match.index + match[0].length
  }
  pieces.push([start + from, end])
  return pieces
}

function measure(text: string, start: number, end: number, tokenizer: Tokenizer): Span | null {
  let from = start
  let to = end
  while (from < to && /\s/.test(text[from]!)) from += 1
  while (to > from && /\s/.test(text[to - 1]!)) to -= 1
  if (from === to) return null
  return { start: from, end: to, tokens: tokenizer.count(text.slice(from, to)) }
}

function splitByWords(text: string, sentence: Span, tokenizer: Tokenizer, maxTokens: number): Span[] {
  const spans: Span[] = []
  for (const match of text.slice(sentence.start, sentence.end).matchAll(/\S+/g)) {
    const start = sentence.start + match.index
    const word = { start, end: start + match[0].length, tokens: tokenizer.count(match[0]) }
    if (word.tokens <= maxTokens) {
      spans.push(word)
      continue
    }
    const size = Math.max(1, Math.floor((match[0].length * maxTokens) / word.tokens))
    for (let from = word.start; from < word.end; from += size) {
      const to = Math.min(word.end, from + size)
      spans.push({ start: from, end: to, tokens: tokenizer.count(text.slice(from, to)) })
    }
  }
  return spans
}

function pageAt(pageOffsets: readonly number[] | null, offset: number): number | null {
  if (!pageOffsets || pageOffsets.length === 0) return null
  let page = 1
  for (let index = 0; index < pageOffsets.length; index += 1)
    if (pageOffsets[index]! <= offset) page = index + 1
  return page
}
