import { CoreError, type ExtractedDocument } from '@agentry/contracts'
import { extractText, getDocumentProxy, getMeta } from 'unpdf'

/**
 * PDF text with unpdf (PDF.js built for servers: no scripts, no network). Pages are joined with a
 * blank line and their start offsets recorded, so chunks can cite their page.
 */
export async function extractPdf(content: Uint8Array, maxPages: number): Promise<ExtractedDocument> {
  let document: Awaited<ReturnType<typeof getDocumentProxy>>
  try {
    // PDF.js may detach the buffer it is given; pass a copy so the caller's bytes stay intact.
    document = await getDocumentProxy(new Uint8Array(content))
  } catch (error) {
    throw new CoreError('INVALID_INPUT', 'The PDF could not be read: it may be damaged or encrypted', {
      cause: error,
    })
  }
  try {
    if (document.numPages > maxPages) {
      throw new CoreError(
        'PAYLOAD_TOO_LARGE',
        `The PDF has ${document.numPages} pages; at most ${maxPages} are accepted`,
      )
    }
    const { text: pages } = await extractText(document, { mergePages: false })
    const meta = await getMeta(document).catch(() => null)
    const pageOffsets: number[] = []
    let text = ''
    for (const page of pages) {
      if (text !== '') text += '\n\n'
      pageOffsets.push(text.length)
      text += page.replace(/\r\n?/g, '\n').trim()
    }
    const metaTitle = typeof meta?.info?.Title === 'string' ? meta.info.Title.trim() : ''
    return { text, headings: [], pageOffsets, title: metaTitle || null }
  } finally {
    await document.loadingTask.destroy()
  }
}
