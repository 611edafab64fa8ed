import type { ChatModel, ChatModelResolver, CompanyId } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { ProviderModelResolver } from './provider-model-resolver.js'

function resolverOf(provider: string): ChatModelResolver & { readonly asked: string[] } {
  const asked: string[] = []
  return {
    asked,
    resolve: async (request) => {
      asked.push(`${request.provider}/${request.model}`)
      return { provider, modelId: request.model } as unknown as ChatModel
    },
  }
}

const companyId = '01a21106-f7a6-7000-8955-b5b1eab00d0f' as CompanyId

describe('ProviderModelResolver', () => {
  it('sends each request to its provider’s resolver', async () => {
    const local = resolverOf('local')
    const openai = resolverOf('openai')
    const models = new ProviderModelResolver({ local, openai })
    expect(models.providers).toEqual(['local', 'openai'])
    const model = await models.resolve({ companyId, provider: 'openai', model: 'gpt-4o-mini' })
    expect(model.provider).toBe('openai')
    expect(openai.asked).toEqual(['openai/gpt-4o-mini'])
    expect(local.asked).toEqual([])
  })

  it('refuses an unconfigured provider with INVALID_INPUT naming the configured ones', async () => {
    const models = new ProviderModelResolver({ local: resolverOf('local') })
    const error = await models
      .resolve({ companyId, provider: 'anthropic', model: 'claude' })
      .catch((caught) => caught)
    expect(CoreError.hasCode(error, 'INVALID_INPUT')).toBe(true)
    expect(error.message).toContain('"anthropic" is not configured')
    expect(error.message).toContain('configured: local')
    expect(error.message).toContain('ANTHROPIC_API_KEY')
    expect(error.details.issues).toEqual([{ path: 'model.provider', message: 'must be one of local' }])
  })
})
