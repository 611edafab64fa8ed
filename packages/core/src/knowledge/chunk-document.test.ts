import type { ExtractedDocument, Tokenizer } from '@agentry/contracts'
import { createTokenizer } from '@agentry/local'
import { describe, expect, it } from 'vitest'
import { chunkDocument } from './chunk-document.js'

/** One token per word: makes chunk sizes easy to reason about. */
const words: Tokenizer = {
  encoding: 'words',
  count: (text) => text.split(/\s+/).filter(Boolean).length,
  encode: () => [],
  decode: () => '',
}

const doc = (text: string, extra: Partial<ExtractedDocument> = {}): ExtractedDocument => ({
  text,
  headings: [],
  pageOffsets: null,
  title: null,
  ...extra,
})

const paragraph = (label: string, count: number) =>
  Array.from({ length: count }, (_, index) => `${label}${index}`).join(' ')

describe('chunkDocument', () => {
  it('keeps a short document in one chunk with exact offsets', () => {
    const text = '  Returns are free within 30 days.  \n'
    const [chunk, ...rest] = chunkDocument(doc(text), words, { maxTokens: 100, overlapTokens: 10 })
    expect(rest).toEqual([])
    expect(chunk).toMatchObject({
      ordinal: 0,
      text: 'Returns are free within 30 days.',
      tokenCount: 6,
      page: null,
    })
    expect(text.slice(chunk!.startOffset, chunk!.endOffset)).toBe(chunk!.text)
  })

  it('packs paragraphs up to the limit and overlaps whole paragraphs', () => {
    const paragraphs = ['a', 'b', 'c', 'd', 'e'].map((label) => paragraph(label, 40))
    const text = paragraphs.join('\n\n')
    const chunks = chunkDocument(doc(text), words, { maxTokens: 100, overlapTokens: 40 })
    expect(chunks.map((chunk) => chunk.text.split('\n\n').map((part) => part[0]))).toEqual([
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
    ])
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBeLessThanOrEqual(100)
      expect(text.slice(chunk.startOffset, chunk.endOffset)).toBe(chunk.text)
    }
  })

  it('splits an oversized paragraph by sentences, then an oversized sentence by words', () => {
    const sentences = Array.from({ length: 6 }, (_, index) => `${paragraph(`s${index}w`, 29)} end.`).join(' ')
    const runOn = paragraph('x', 250)
    const chunks = chunkDocument(doc(`${sentences}\n\n${runOn}`), words, { maxTokens: 70, overlapTokens: 0 })
    expect(chunks.every((chunk) => chunk.tokenCount <= 70)).toBe(true)
    expect(chunks.slice(0, 3).map((chunk) => chunk.text.match(/end\./g)?.length)).toEqual([2, 2, 2])
    // The third chunk holds two sentences (60 tokens) and the run-on's first 10 words.
    expect(chunks[2]!.text).toMatch(/end\.\n\nx0 x1 .* x9$/)
    const runOnChunks = chunks.filter((chunk) => chunk.text.startsWith('x'))
    expect(runOnChunks.map((chunk) => chunk.tokenCount)).toEqual([70, 70, 70, 30])
  })

  it('never crosses a heading and records the breadcrumb', () => {
    const text =
      '# Guide\nIntro text.\n## Returns\nReturn rules.\n### Damaged items\nPhoto needed.\n## Shipping\nShips fast.'
    const headings = [
      { level: 1, title: 'Guide', offset: text.indexOf('# Guide') },
      { level: 2, title: 'Returns', offset: text.indexOf('## Returns') },
      { level: 3, title: 'Damaged items', offset: text.indexOf('### Damaged') },
      { level: 2, title: 'Shipping', offset: text.indexOf('## Shipping') },
    ]
    const chunks = chunkDocument(doc(text, { headings }), words, { maxTokens: 500, overlapTokens: 50 })
    expect(chunks.map((chunk) => [chunk.headingPath.join(' > '), chunk.text.split('\n')[1]])).toEqual([
      ['Guide', 'Intro text.'],
      ['Guide > Returns', 'Return rules.'],
      ['Guide > Returns > Damaged items', 'Photo needed.'],
      ['Guide > Shipping', 'Ships fast.'],
    ])
  })

  it('records the page each chunk starts on', () => {
    const pages = [paragraph('p', 60), paragraph('q', 60), paragraph('r', 60)]
    const text = pages.join('\n\n')
    const pageOffsets = [0, pages[0]!.length + 2, pages[0]!.length + pages[1]!.length + 4]
    const chunks = chunkDocument(doc(text, { pageOffsets }), words, { maxTokens: 60, overlapTokens: 0 })
    expect(chunks.map((chunk) => chunk.page)).toEqual([1, 2, 3])
  })

  it('bounds chunks by real tokens with the default shape (800 tokens, 15% overlap)', () => {
    const text = Array.from(
      { length: 60 },
      (_, index) => `Paragraph ${index}: ${'The warranty covers parts and labour for two years. '.repeat(6)}`,
    ).join('\n\n')
    const tokenizer = createTokenizer()
    const chunks = chunkDocument(doc(text), tokenizer, { maxTokens: 800, overlapTokens: 120 })
    expect(chunks.length).toBeGreaterThan(3)
    for (const [index, chunk] of chunks.entries()) {
      expect(chunk.tokenCount).toBeLessThanOrEqual(800)
      if (index > 0) expect(chunk.startOffset).toBeLessThan(chunks[index - 1]!.endOffset)
    }
    expect(chunks.at(-1)!.endOffset).toBe(text.trimEnd().length)
  })
})
