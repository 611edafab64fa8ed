import type { Chunk } from '@agentry/contracts'

/**
 * The text embedded and keyword-indexed for a chunk: the document title and the heading
 * breadcrumb before the chunk's own text, so a chunk deep in a section still carries what it is
 * about ("Returns > Damaged items" matches a query on damaged returns).
 */
export function indexedText(documentTitle: string, chunk: Pick<Chunk, 'headingPath' | 'text'>): string {
  const lines = [documentTitle.trim()]
  if (chunk.headingPath.length > 0) lines.push(chunk.headingPath.join(' > '))
  return `${lines.filter((line) => line !== '').join('\n')}\n\n${chunk.text}`
}

const SNIPPET_CHARS = 280

/** The start of a chunk's text, cut at a word boundary, for citations. */
export function snippetOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat.length <= SNIPPET_CHARS) return flat
  const cut = flat.lastIndexOf(' ', SNIPPET_CHARS)
  return `${flat.slice(0, cut > SNIPPET_CHARS / 2 ? cut : SNIPPET_CHARS)}…`
}
