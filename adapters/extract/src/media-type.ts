const BY_EXTENSION: Readonly<Record<string, string>> = {
  txt: 'text/plain',
  text: 'text/plain',
  md: 'text/markdown',
  markdown: 'text/markdown',
  html: 'text/html',
  htm: 'text/html',
  pdf: 'application/pdf',
}

/**
 * The media type of an uploaded file: the PDF signature wins over the name (browsers send
 * `application/octet-stream` often), then the file extension. Null when neither tells.
 */
export function guessMediaType(filename: string, content: Uint8Array): string | null {
  if (content.length >= 5 && new TextDecoder().decode(content.subarray(0, 5)) === '%PDF-')
    return 'application/pdf'
  const extension = filename.toLowerCase().split('.').pop() ?? ''
  return BY_EXTENSION[extension] ?? null
}
