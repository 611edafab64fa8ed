import { createRequire } from 'node:module'
import type { Tokenizer } from '@agentry/contracts'

export const TOKENIZER_ENCODINGS = ['o200k_base', 'cl100k_base'] as const
export type TokenizerEncoding = (typeof TOKENIZER_ENCODINGS)[number]

/** The part of a gpt-tokenizer encoding module this adapter calls. */
interface EncodingModule {
  encode(text: string, options: { disallowedSpecial: ReadonlySet<string> }): number[]
  decode(tokens: Iterable<number>): string
}

const require = createRequire(import.meta.url)
const loaded = new Map<TokenizerEncoding, EncodingModule>()
/** Special-token text such as `<|endoftext|>` in user input is counted as plain text, never rejected. */
const NO_SPECIAL_TOKENS: ReadonlySet<string> = new Set()

/**
 * Loads one encoding's module on first use. The rank tables are large (importing o200k_base takes
 * about 0.4 s, cl100k_base about 0.1 s), so importing this package costs nothing until a token is
 * counted, and only the encoding asked for is ever loaded. `require` keeps `Tokenizer` synchronous.
 */
function loadEncoding(encoding: TokenizerEncoding): EncodingModule {
  let module = loaded.get(encoding)
  if (!module) {
    module = require(`gpt-tokenizer/encoding/${encoding}`) as EncodingModule
    loaded.set(encoding, module)
  }
  return module
}

/** OpenAI's BPE encodings (o200k_base for GPT-4o and later, cl100k_base for GPT-4 and GPT-3.5). */
export class GptTokenizer implements Tokenizer {
  readonly encoding: TokenizerEncoding

  constructor(encoding: TokenizerEncoding = 'o200k_base') {
    this.encoding = encoding
  }

  count(text: string): number {
    return text.length === 0 ? 0 : this.encode(text).length
  }

  encode(text: string): number[] {
    return loadEncoding(this.encoding).encode(text, { disallowedSpecial: NO_SPECIAL_TOKENS })
  }

  decode(tokens: readonly number[]): string {
    return loadEncoding(this.encoding).decode(tokens)
  }

  /** Loads the encoding now (e.g. at startup) instead of on the first count. */
  preload(): this {
    loadEncoding(this.encoding)
    return this
  }
}
