import type { ExtractedDocument, ExtractedHeading } from '@agentry/contracts'
import { Parser } from 'htmlparser2'
import { decodeText } from './decode-text.js'

const SKIPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'iframe',
  'object',
  'canvas',
  'head',
])
const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tr',
  'ul',
])
const HEADING = /^h([1-6])$/

/**
 * HTML to text with htmlparser2: scripts, styles and other non-content elements are dropped,
 * entities decoded, block elements become line breaks, `h1`-`h6` become headings.
 */
export function extractHtml(content: Uint8Array): ExtractedDocument {
  const source = decodeText(content)
  let text = ''
  let skipDepth = 0
  let inTitle = false
  let documentTitle = ''
  let heading: { level: number; offset: number; title: string } | null = null
  const headings: ExtractedHeading[] = []

  const breakLine = () => {
    text = text.replace(/[ \t]+$/, '')
    if (text !== '' && !text.endsWith('\n\n')) text += text.endsWith('\n') ? '\n' : '\n\n'
  }
  const parser = new Parser(
    {
      onopentag(name) {
        if (name === 'title') inTitle = true
        if (SKIPPED.has(name)) skipDepth += 1
        if (skipDepth > 0) return
        if (BLOCK.has(name)) breakLine()
        const level = HEADING.exec(name)?.[1]
        if (level) heading = { level: Number(level), offset: text.length, title: '' }
      },
      ontext(data) {
        if (inTitle) documentTitle += data
        if (skipDepth > 0) return
        const collapsed = data.replace(/\s+/g, ' ')
        const piece =
          text === '' || text.endsWith('\n') || text.endsWith(' ') ? collapsed.trimStart() : collapsed
        text += piece
        if (heading) heading.title += piece
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false
        if (SKIPPED.has(name)) {
          skipDepth = Math.max(0, skipDepth - 1)
          return
        }
        if (skipDepth > 0) return
        if (heading && HEADING.test(name)) {
          const title = heading.title.trim()
          if (title !== '') headings.push({ level: heading.level, title, offset: heading.offset })
          heading = null
        }
        if (BLOCK.has(name)) breakLine()
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  )
  parser.write(source)
  parser.end()
  const title = documentTitle.replace(/\s+/g, ' ').trim() || headings[0]?.title || null
  return { text: text.trim() === '' ? '' : text.trimEnd(), headings, pageOffsets: null, title }
}
