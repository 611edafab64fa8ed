import type { DocumentExtractor } from '@agentry/contracts'
import { type ExtractConfigInput, ExtractConfigSchema } from './extract-config.js'
import { StandardDocumentExtractor } from './standard-document-extractor.js'

export function createDocumentExtractor(config: ExtractConfigInput = {}): DocumentExtractor {
  return new StandardDocumentExtractor(ExtractConfigSchema.parse(config))
}
