import { describe, expect, it } from 'vitest'
import { contentStems, foldText, splitSentences, stem, wordsOf } from './text-features.js'

describe('text features', () => {
  it('folds case, width and diacritics', () => {
    expect(foldText('Crème BRÛLÉE ｆｕｌｌ')).toBe('creme brulee full')
  })

  it('splits words on anything but letters and digits, in any script', () => {
    expect(wordsOf("It's 3-5 días, Zürich/東京!")).toEqual(['it', 's', '3', '5', 'dias', 'zurich', '東京'])
  })

  it('stems common English inflections and leaves short or foreign words alone', () => {
    const cases: Record<string, string> = {
      policies: 'policy',
      resetting: 'reset',
      returned: 'return',
      boxes: 'box',
      quickly: 'quick',
      passwords: 'password',
      process: 'process',
      status: 'status',
      bus: 'bus',
      was: 'was',
      東京: '東京',
    }
    for (const [word, expected] of Object.entries(cases)) expect(stem(word), word).toBe(expected)
  })

  it('keeps content words only', () => {
    expect(contentStems('How long does it take to get my refunds?')).toEqual(['refund'])
  })

  it('splits sentences at end punctuation and line breaks', () => {
    expect(splitSentences('One. Two! Three?\nFour\n\n  Five 3.5 units.')).toEqual([
      'One.',
      'Two!',
      'Three?',
      'Four',
      'Five 3.5 units.',
    ])
  })
})
