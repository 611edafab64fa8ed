import { CoreError } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import {
  createLexicalEmbeddingModel,
  createLocal,
  createScriptedChatModel,
  createTokenizer,
} from './create-local.js'

function failure(action: () => unknown): unknown {
  try {
    action()
  } catch (error) {
    return error
  }
  return undefined
}

describe('local factories', () => {
  it('builds the models with defaults and one shared tokenizer', () => {
    const local = createLocal()
    expect(local.tokenizer.encoding).toBe('o200k_base')
    expect(local.chatModel).toMatchObject({ provider: 'local', modelId: 'scripted' })
    expect(local.embeddingModel).toMatchObject({ provider: 'local', dimensions: 512, maxBatchSize: 256 })
  })

  it('applies the config', () => {
    const local = createLocal({ tokenizer: { encoding: 'cl100k_base' }, embedding: { dimensions: 128 } })
    expect(local.tokenizer.encoding).toBe('cl100k_base')
    expect(local.embeddingModel.dimensions).toBe(128)
    expect(createTokenizer({ encoding: 'cl100k_base' }).encoding).toBe('cl100k_base')
  })

  it('rejects a bad config with INVALID_INPUT naming each field', () => {
    const error = failure(() => createLocal({ embedding: { dimensions: 3 }, chat: { latencyMs: -1 } }))
    expect(CoreError.hasCode(error, 'INVALID_INPUT')).toBe(true)
    expect((error as CoreError).message).toMatch(/chat\.latencyMs: .*embedding\.dimensions: /)
    const unknownKey = failure(() => createScriptedChatModel({ latency: 5 } as never))
    expect((unknownKey as CoreError).message).toContain('latency')
    const badEncoding = failure(() => createTokenizer({ encoding: 'p50k_base' as never }))
    expect(CoreError.hasCode(badEncoding, 'INVALID_INPUT')).toBe(true)
    expect(
      CoreError.hasCode(
        failure(() => createLexicalEmbeddingModel({ maxBatchSize: 0 })),
        'INVALID_INPUT',
      ),
    ).toBe(true)
  })
})
