const WORD = /[\p{L}\p{N}]+/gu

/**
 * Lowercase words (letters and digits in any script); everything else separates them. No stemming
 * and no stop words, so a query matches words in the form they were written. Never throws.
 */
export function keywordTokens(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(WORD) ?? []
}
