/** Token counting for budgets and chunking. `count(text)` equals `encode(text).length`. */
export interface Tokenizer {
  /** The encoding's name, e.g. `o200k_base`. */
  readonly encoding: string
  count(text: string): number
  encode(text: string): readonly number[]
  decode(tokens: readonly number[]): string
}
