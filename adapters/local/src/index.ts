export type { Local, LocalDependencies } from './create-local.js'
export {
  createLexicalEmbeddingModel,
  createLocal,
  createScriptedChatModel,
  createTokenizer,
} from './create-local.js'
export type { TokenizerEncoding } from './gpt-tokenizer.js'
export { GptTokenizer, TOKENIZER_ENCODINGS } from './gpt-tokenizer.js'
export type { LexicalEmbeddingModelOptions } from './lexical-embedding-model.js'
export { LexicalEmbeddingModel } from './lexical-embedding-model.js'
export type {
  LexicalEmbeddingConfig,
  LocalConfig,
  ScriptedChatModelConfig,
  TokenizerConfig,
} from './local-config.js'
export {
  LexicalEmbeddingConfigSchema,
  LocalConfigSchema,
  ScriptedChatModelConfigSchema,
  TokenizerConfigSchema,
} from './local-config.js'
export type { ScriptedChatModelOptions } from './scripted-chat-model.js'
export { ScriptedChatModel } from './scripted-chat-model.js'
export type { ScriptedRule, ScriptedRules, ScriptedRulesInput } from './scripted-rules.js'
export { parseScriptedRules, ScriptedRulesSchema, validateScriptedRules } from './scripted-rules.js'
