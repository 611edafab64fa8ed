import { describe, expect, it } from 'vitest'
import { GptTokenizer } from './gpt-tokenizer.js'

const SAMPLE = 'Agentry counts tokens the way OpenAI models do: naïve café, 12345, emojis 🙂.'

describe('GptTokenizer', () => {
  it('uses o200k_base by default and cl100k_base when asked', () => {
    expect(new GptTokenizer().encoding).toBe('o200k_base')
    expect(new GptTokenizer('cl100k_base').encoding).toBe('cl100k_base')
  })

  for (const encoding of ['o200k_base', 'cl100k_base'] as const) {
    it(`${encoding}: count equals encode length and decode inverts encode`, () => {
      const tokenizer = new GptTokenizer(encoding)
      const tokens = tokenizer.encode(SAMPLE)
      expect(tokenizer.count(SAMPLE)).toBe(tokens.length)
      expect(tokens.length).toBeGreaterThan(10)
      expect(tokenizer.decode(tokens)).toBe(SAMPLE)
      expect(tokenizer.count('')).toBe(0)
    })
  }

  it('tokenizes the two encodings differently', () => {
    const text = 'नमस्ते दुनिया, こんにちは世界'
    expect(new GptTokenizer('o200k_base').encode(text)).not.toEqual(
      new GptTokenizer('cl100k_base').encode(text),
    )
  })

  it('counts special-token text in user input as plain text instead of throwing', () => {
    const tokenizer = new GptTokenizer()
    expect(tokenizer.count('before <|endoftext|> after')).toBeGreaterThan(3)
    expect(tokenizer.decode(tokenizer.encode('<|endoftext|>'))).toBe('<|endoftext|>')
  })
})
