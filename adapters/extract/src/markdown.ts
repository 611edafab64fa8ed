import type { ExtractedDocument, ExtractedHeading } from '@agentry/contracts'
import { decodeText } from './decode-text.js'

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/
const FENCE = /^ {0,3}(`{3,}|~{3,})/
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/

/**
 * Markdown is kept as written (models read it well); only its headings are found, outside fenced
 * code blocks: ATX (`## Title`) and setext (a line underlined with `===` or `---`).
 */
export function extractMarkdown(content: Uint8Array): ExtractedDocument {
  const text = decodeText(content)
  const headings: ExtractedHeading[] = []
  let fence: string | null = null
  let offset = 0
  let previous: { line: string; offset: number } | null = null
  for (const line of text.split('\n')) {
    const fenceMatch = FENCE.exec(line)
    if (fence) {
      if (fenceMatch?.[1]?.startsWith(fence)) fence = null
    } else if (fenceMatch?.[1]) {
      fence = fenceMatch[1].slice(0, 3)
    } else {
      const atx = ATX.exec(line)
      const setext = SETEXT.exec(line)
      if (atx?.[1]) {
        headings.push({ level: atx[1].length, title: (atx[2] ?? '').trim(), offset })
      } else if (setext?.[1] && previous && previous.line.trim() !== '' && !ATX.test(previous.line)) {
        headings.push({
          level: setext[1].startsWith('=') ? 1 : 2,
          title: previous.line.trim(),
          offset: previous.offset,
        })
      }
    }
    previous = { line, offset }
    offset += line.length + 1
  }
  const title = headings.find((heading) => heading.level === 1)?.title ?? null
  return { text, headings: headings.filter((heading) => heading.title !== ''), pageOffsets: null, title }
}
