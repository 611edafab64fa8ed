import {
  type CallOptions,
  CoreError,
  type DocumentExtractor,
  type ExtractedDocument,
} from '@agentry/contracts'
import { decodeText } from './decode-text.js'
import type { ExtractConfig } from './extract-config.js'
import { extractHtml } from './html.js'
import { extractMarkdown } from './markdown.js'
import { extractPdf } from './pdf.js'

export const SUPPORTED_MEDIA_TYPES = ['text/plain', 'text/markdown', 'text/html', 'application/pdf'] as const

/** Plain text, Markdown, HTML and PDF, chosen by media type (parameters such as charset ignored). */
export class StandardDocumentExtractor implements DocumentExtractor {
  readonly mediaTypes = SUPPORTED_MEDIA_TYPES

  constructor(private readonly config: ExtractConfig) {}

  async extract(
    content: Uint8Array,
    mediaType: string,
    options: CallOptions = {},
  ): Promise<ExtractedDocument> {
    throwIfAborted(options.signal)
    const type = mediaType.split(';')[0]?.trim().toLowerCase() ?? ''
    let document: ExtractedDocument
    switch (type) {
      case 'text/plain':
        document = { text: decodeText(content), headings: [], pageOffsets: null, title: null }
        break
      case 'text/markdown':
        document = extractMarkdown(content)
        break
      case 'text/html':
        document = extractHtml(content)
        break
      case 'application/pdf':
        document = await extractPdf(content, this.config.maxPdfPages)
        break
      default:
        throw new CoreError(
          'UNSUPPORTED_MEDIA_TYPE',
          `Documents of type "${mediaType}" cannot be indexed; supported: ${SUPPORTED_MEDIA_TYPES.join(', ')}`,
          { details: { mediaType, supported: [...SUPPORTED_MEDIA_TYPES] } },
        )
    }
    throwIfAborted(options.signal)
    return document
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CoreError('CANCELLED', 'Extraction was cancelled', { cause: signal.reason })
}
