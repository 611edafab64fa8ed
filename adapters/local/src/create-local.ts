import type { Tokenizer } from '@agentry/contracts'
import { CoreError, zodIssues } from '@agentry/contracts'
import type { z } from 'zod'
import { GptTokenizer } from './gpt-tokenizer.js'
import { LexicalEmbeddingModel } from './lexical-embedding-model.js'
import {
  type LexicalEmbeddingConfig,
  LexicalEmbeddingConfigSchema,
  type LocalConfig,
  LocalConfigSchema,
  type ScriptedChatModelConfig,
  ScriptedChatModelConfigSchema,
  type TokenizerConfig,
  TokenizerConfigSchema,
} from './local-config.js'
import { ScriptedChatModel } from './scripted-chat-model.js'

function parseConfig<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  what: string,
): z.output<Schema> {
  const parsed = schema.safeParse(input ?? {})
  if (parsed.success) return parsed.data
  const issues = zodIssues(parsed.error)
  throw new CoreError(
    'INVALID_INPUT',
    `${what} config is invalid: ${issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ')}`,
    { details: { issues } },
  )
}

/** Extra collaborators a factory can share instead of making its own. */
export interface LocalDependencies {
  /** Shared so the encoding is loaded once; a `GptTokenizer` with the default encoding otherwise. */
  readonly tokenizer?: Tokenizer
}

export function createTokenizer(config: TokenizerConfig = {}): GptTokenizer {
  return new GptTokenizer(parseConfig(TokenizerConfigSchema, config, 'Tokenizer').encoding)
}

export function createScriptedChatModel(
  config: ScriptedChatModelConfig = {},
  dependencies: LocalDependencies = {},
): ScriptedChatModel {
  const parsed = parseConfig(ScriptedChatModelConfigSchema, config, 'Scripted chat model')
  return new ScriptedChatModel({ ...parsed, tokenizer: dependencies.tokenizer ?? new GptTokenizer() })
}

export function createLexicalEmbeddingModel(
  config: LexicalEmbeddingConfig = {},
  dependencies: LocalDependencies = {},
): LexicalEmbeddingModel {
  const parsed = parseConfig(LexicalEmbeddingConfigSchema, config, 'Lexical embedding model')
  return new LexicalEmbeddingModel({ ...parsed, tokenizer: dependencies.tokenizer ?? new GptTokenizer() })
}

export interface Local {
  readonly tokenizer: GptTokenizer
  readonly chatModel: ScriptedChatModel
  readonly embeddingModel: LexicalEmbeddingModel
}

/** The whole local adapter from one config: a tokenizer shared by the scripted and lexical models. */
export function createLocal(config: LocalConfig = {}): Local {
  const parsed = parseConfig(LocalConfigSchema, config, 'Local adapter')
  const tokenizer = new GptTokenizer(parsed.tokenizer.encoding)
  return {
    tokenizer,
    chatModel: new ScriptedChatModel({ ...parsed.chat, tokenizer }),
    embeddingModel: new LexicalEmbeddingModel({ ...parsed.embedding, tokenizer }),
  }
}
