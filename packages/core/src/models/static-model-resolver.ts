import type { ChatModel, ChatModelResolver } from '@agentry/contracts'
import { CoreError } from '@agentry/contracts'

/**
 * Resolves from a fixed list of models, by provider and model id: the resolver for embedding the
 * runtime with models made up front (the local scripted model, one OpenAI client, ...). Unknown
 * pairs are `INVALID_INPUT` naming what is configured.
 */
export class StaticModelResolver implements ChatModelResolver {
  readonly #models = new Map<string, ChatModel>()

  constructor(models: readonly ChatModel[]) {
    for (const model of models) this.#models.set(`${model.provider}/${model.modelId}`, model)
  }

  async resolve(request: { readonly provider: string; readonly model: string }): Promise<ChatModel> {
    const model = this.#models.get(`${request.provider}/${request.model}`)
    if (model) return model
    const known = [...this.#models.keys()].join(', ') || 'none'
    throw new CoreError(
      'INVALID_INPUT',
      `No model ${request.provider}/${request.model} is configured (configured: ${known}): change model.provider and model.name in the agent config.`,
    )
  }
}
