/**
 * A fast, stable 32-bit string hash (FNV-1a over UTF-16 code units, then murmur3's finaliser to
 * spread the bits). Stable across processes and versions: embeddings and scripted ids depend on it,
 * so changing it changes every stored lexical vector.
 */
export function hashString(text: string, seed = 0): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193)
  }
  hash ^= hash >>> 16
  hash = Math.imul(hash, 0x85ebca6b)
  hash ^= hash >>> 13
  hash = Math.imul(hash, 0xc2b2ae35)
  hash ^= hash >>> 16
  return hash >>> 0
}
