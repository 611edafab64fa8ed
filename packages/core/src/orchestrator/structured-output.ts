import type { ChatMessage, JsonSchema, JsonValue } from '@agentry/contracts'
import type { JsonSchemaValidator } from '../json-schema/json-schema-validator.js'

export type OutputCheck =
  | { readonly valid: true; readonly value: JsonValue }
  | { readonly valid: false; readonly errors: readonly string[] }

const FENCE = /^```(?:json)?\s*\n?([\s\S]*?)\n?```$/

/** Parses a reply as JSON (a surrounding Markdown code fence is tolerated) and checks the schema. */
export function checkStructuredOutput(
  schemas: JsonSchemaValidator,
  schema: JsonSchema,
  content: string,
): OutputCheck {
  const trimmed = content.trim()
  const text = FENCE.exec(trimmed)?.[1] ?? trimmed
  let value: JsonValue
  try {
    value = JSON.parse(text) as JsonValue
  } catch (error) {
    return {
      valid: false,
      errors: [`the reply is not JSON (${error instanceof Error ? error.message : 'parse error'})`],
    }
  }
  const check = schemas.check(schema, value)
  return check.valid ? { valid: true, value } : { valid: false, errors: check.errors }
}

/** The start of the repair request's user message; stable, so scripted test models can match it. */
export const REPAIR_INSTRUCTION = 'Your previous reply did not match the required JSON schema'

/** The two messages of the one repair attempt: the invalid reply, then what was wrong with it. */
export function repairMessages(invalidReply: string, errors: readonly string[]): ChatMessage[] {
  return [
    { role: 'assistant', content: invalidReply },
    {
      role: 'user',
      content: `${REPAIR_INSTRUCTION}: ${errors.join('; ')}. Reply again with only a JSON value that matches the schema, and no other text.`,
    },
  ]
}
