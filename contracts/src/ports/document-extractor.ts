import type { CallOptions } from '../common.js'

export interface ExtractedHeading {
  /** 1 for a top-level heading, up to 6. */
  readonly level: number
  readonly title: string
  /** Character offset in `text` where the heading's section starts. */
  readonly offset: number
}

/** A document reduced to plain text, with the structure chunking keeps (headings, pages). */
export interface ExtractedDocument {
  readonly text: string
  /** In document order. */
  readonly headings: readonly ExtractedHeading[]
  /** For paged media (PDF): the character offset in `text` where page n + 1 starts. Else null. */
  readonly pageOffsets: readonly number[] | null
  /** The document's own title when it has one (HTML `<title>`, PDF metadata, first heading). */
  readonly title: string | null
}

/**
 * Turns uploaded bytes into text. Supports the media types it lists; any other is
 * `UNSUPPORTED_MEDIA_TYPE` naming the supported ones. Content that cannot be parsed (a corrupt
 * PDF, text that is not UTF-8) is `INVALID_INPUT` with a reason a user can act on. Never runs
 * scripts or fetches anything the document references.
 */
export interface DocumentExtractor {
  readonly mediaTypes: readonly string[]
  extract(content: Uint8Array, mediaType: string, options?: CallOptions): Promise<ExtractedDocument>
}
