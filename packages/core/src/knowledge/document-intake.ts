import type { CallOptions, DocumentSource, HttpClient } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'

/** How a document arrives: uploaded bytes, text typed or pasted, or a URL to fetch. */
export type DocumentInput =
  | {
      readonly type: 'upload'
      readonly filename: string
      readonly content: Uint8Array
      /** As the client declared it; missing or generic types are guessed from the name and bytes. */
      readonly mediaType?: string | null
      readonly title?: string
    }
  | {
      readonly type: 'text'
      readonly text: string
      readonly format?: 'text' | 'markdown'
      readonly title?: string
    }
  | { readonly type: 'url'; readonly url: string; readonly title?: string }

export interface IntakeLimits {
  readonly maxDocumentBytes: number
  readonly urlTimeoutMs: number
}

/** A document ready to store: its bytes, media type, title and where it came from. */
export interface TakenDocument {
  readonly content: Uint8Array
  readonly mediaType: string
  readonly title: string
  readonly source: DocumentSource
}

const BY_EXTENSION: Readonly<Record<string, string>> = {
  txt: 'text/plain',
  text: 'text/plain',
  md: 'text/markdown',
  markdown: 'text/markdown',
  html: 'text/html',
  htm: 'text/html',
  pdf: 'application/pdf',
}
const ALIASES: Readonly<Record<string, string>> = {
  'text/x-markdown': 'text/markdown',
  'application/xhtml+xml': 'text/html',
  'application/x-pdf': 'application/pdf',
}
const MAX_TITLE_CHARS = 200

/**
 * Turns a `DocumentInput` into bytes with a supported media type, enforcing the size limit
 * (`PAYLOAD_TOO_LARGE`) and the extractor's media types (`UNSUPPORTED_MEDIA_TYPE`, naming them).
 * URLs are fetched through the guarded `HttpClient` (no private, loopback or metadata addresses).
 */
export async function takeDocument(
  input: DocumentInput,
  supported: readonly string[],
  limits: IntakeLimits,
  http: HttpClient | undefined,
  options?: CallOptions,
): Promise<TakenDocument> {
  switch (input.type) {
    case 'upload': {
      checkSize(input.content.length, limits)
      const mediaType = resolveMediaType(input.mediaType, input.filename, input.content, supported)
      return {
        content: input.content,
        mediaType,
        title: titleOr(input.title, input.filename),
        source: { type: 'upload', filename: input.filename },
      }
    }
    case 'text': {
      const content = new TextEncoder().encode(input.text)
      checkSize(content.length, limits)
      if (input.text.trim() === '') throw new CoreError('INVALID_INPUT', 'The document text is empty.')
      const firstLine =
        input.text
          .trim()
          .split('\n')[0]
          ?.replace(/^#+\s*/, '') ?? ''
      return {
        content,
        mediaType: input.format === 'markdown' ? 'text/markdown' : 'text/plain',
        title: titleOr(input.title, firstLine),
        source: { type: 'text' },
      }
    }
    case 'url':
      return fetchDocument(input.url, input.title, supported, limits, http, options)
  }
}

async function fetchDocument(
  url: string,
  title: string | undefined,
  supported: readonly string[],
  limits: IntakeLimits,
  http: HttpClient | undefined,
  options: CallOptions | undefined,
): Promise<TakenDocument> {
  if (!http) {
    throw new CoreError('UNAVAILABLE', 'This runtime cannot fetch URLs: it has no outbound HTTP client.', {
      isRetryable: false,
    })
  }
  const response = await http.request(
    {
      method: 'GET',
      url,
      timeoutMs: limits.urlTimeoutMs,
      maxResponseBytes: limits.maxDocumentBytes,
      headers: { accept: `${supported.join(', ')};q=0.9, */*;q=0.1` },
    },
    options,
  )
  if (response.status < 200 || response.status > 299) {
    throw new CoreError('INVALID_INPUT', `${url} answered HTTP ${response.status}: check the address.`, {
      details: { url, status: response.status },
    })
  }
  if (response.truncated) {
    throw tooLarge(`The document at ${url}`, limits.maxDocumentBytes)
  }
  const path = new URL(response.url).pathname
  const name = decodeURIComponent(path.split('/').filter(Boolean).pop() ?? '')
  const mediaType = resolveMediaType(response.headers['content-type'], name, response.body, supported)
  return {
    content: response.body,
    mediaType,
    title: titleOr(title, name || new URL(response.url).hostname),
    source: { type: 'url', url },
  }
}

function checkSize(size: number, limits: IntakeLimits): void {
  if (size === 0) throw new CoreError('INVALID_INPUT', 'The document is empty.')
  if (size > limits.maxDocumentBytes) throw tooLarge('The document', limits.maxDocumentBytes, size)
}

function tooLarge(what: string, max: number, size?: number): CoreError {
  const megabytes = (max / 1024 / 1024).toFixed(1)
  return new CoreError(
    'PAYLOAD_TOO_LARGE',
    `${what} is larger than the limit of ${max} bytes (${megabytes} MiB): split it into smaller documents.`,
    { details: { maxBytes: max, ...(size === undefined ? {} : { sizeBytes: size }) } },
  )
}

/**
 * The declared type when supported (a `.md` file declared `text/plain` is Markdown); else, for a
 * missing or generic type, the PDF signature or the file extension.
 */
export function resolveMediaType(
  declared: string | null | undefined,
  filename: string,
  content: Uint8Array,
  supported: readonly string[],
): string {
  const normalized = (declared ?? '').split(';')[0]!.trim().toLowerCase()
  const declaredType = ALIASES[normalized] ?? normalized
  const extension = filename.toLowerCase().split('.').pop() ?? ''
  const byName = filename.includes('.') ? BY_EXTENSION[extension] : undefined
  const isPdf = content.length >= 5 && new TextDecoder().decode(content.subarray(0, 5)) === '%PDF-'
  let mediaType = declaredType
  if (declaredType === 'text/plain' && byName === 'text/markdown') mediaType = byName
  if (!supported.includes(mediaType)) mediaType = isPdf ? 'application/pdf' : (byName ?? declaredType)
  if (supported.includes(mediaType)) return mediaType
  const extensions = Object.entries(BY_EXTENSION)
    .filter(([, type]) => supported.includes(type))
    .map(([name]) => `.${name}`)
  throw new CoreError(
    'UNSUPPORTED_MEDIA_TYPE',
    `${filename || 'The document'} is ${declaredType || 'of an unknown type'}; supported: ${supported.join(', ')} (files ${extensions.join(', ')}).`,
    { details: { mediaType: declaredType || null, supported: [...supported] } },
  )
}

function titleOr(title: string | undefined, fallback: string): string {
  const chosen = (title?.trim() || fallback.trim() || 'Untitled').replace(/\s+/g, ' ')
  return chosen.length > MAX_TITLE_CHARS ? `${chosen.slice(0, MAX_TITLE_CHARS - 1)}…` : chosen
}
