import { CoreError } from '@agentry/contracts'

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

/** Strict UTF-8 with the BOM dropped and line endings normalised to `\n`. */
export function decodeText(content: Uint8Array): string {
  let text: string
  try {
    text = decoder.decode(content)
  } catch (error) {
    throw new CoreError(
      'INVALID_INPUT',
      'The document is not valid UTF-8 text: convert it to UTF-8 and upload it again',
      {
        cause: error,
      },
    )
  }
  return text.replace(/\r\n?/g, '\n')
}
