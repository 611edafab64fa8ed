import { describeEmbeddingModel } from '@agentry/contracts/testing'
import { createLexicalEmbeddingModel } from './create-local.js'

describeEmbeddingModel({
  name: 'LexicalEmbeddingModel',
  create: () => createLexicalEmbeddingModel(),
  isDeterministic: true,
})

describeEmbeddingModel({
  name: 'LexicalEmbeddingModel with 64 dimensions and batches of 8',
  create: () => createLexicalEmbeddingModel({ dimensions: 64, maxBatchSize: 8 }),
  isDeterministic: true,
})
