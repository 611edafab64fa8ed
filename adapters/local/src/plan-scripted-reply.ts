import type { ChatMessage, ChatRequest, JsonValue } from '@agentry/contracts'
import { extractiveAnswer } from './extractive-answer.js'
import { minimalJsonFor } from './json-from-schema.js'
import { matchScriptedRule, type RuleMatch } from './match-scripted-rule.js'
import type { ScriptedRules } from './scripted-rules.js'
import { renderJsonTemplates, renderTemplate, type TemplateResolver } from './scripted-templates.js'

export interface PlannedToolCall {
  readonly name: string
  readonly argumentsJson: string
}

/** What the scripted model will say, before token limits and streaming. */
export type ScriptedPlan =
  | { readonly type: 'text'; readonly content: string }
  | { readonly type: 'tool-calls'; readonly calls: readonly PlannedToolCall[] }
  | { readonly type: 'refusal'; readonly refusal: string }

type ToolMessage = Extract<ChatMessage, { role: 'tool' }>

const NO_CONTEXT_REPLY =
  "I don't know the answer to that. I am an offline scripted model: I answer only from my configured rules and the knowledge base."
const NOT_IN_CONTEXT_REPLY = "I don't know: the knowledge base passages I was given do not answer that."

/** The last user message's text ('' when there is none). */
export function lastUserInput(messages: readonly ChatMessage[]): string {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index]
    if (message?.role === 'user') return message.content
  }
  return ''
}

/** The tool messages at the end of the conversation: results of the previous reply's tool calls. */
function trailingToolResults(messages: readonly ChatMessage[]): ToolMessage[] {
  const results: ToolMessage[] = []
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index]
    if (message?.role !== 'tool') break
    results.unshift(message)
  }
  return results
}

function describeToolResults(results: readonly ToolMessage[]): string {
  const lines = results.map(
    (result) => `- ${result.toolName}${result.isError ? ' (failed)' : ''}: ${result.content}`,
  )
  return `Here is what the tools returned:\n${lines.join('\n')}`
}

/**
 * Decides the scripted reply: after tool results, the matched rule's `afterTools` (or a summary of
 * the results); otherwise the first rule matching the last user message; otherwise an extractive
 * answer from `request.context`, or "I don't know". With JSON output asked for, only the fallbacks
 * are shaped into JSON (see `minimalJsonFor`); a `reply` rule is sent as written.
 */
export function planScriptedReply(request: ChatRequest, rules: ScriptedRules): ScriptedPlan {
  const input = lastUserInput(request.messages)
  const toolResults = trailingToolResults(request.messages)
  const passages = request.context ?? []
  let answer: string | undefined
  let isAnswering = false
  const fallbackAnswer = (resolve: TemplateResolver): string => {
    if (isAnswering) return '' // {{answer}} inside unknownReply
    if (answer === undefined) {
      isAnswering = true
      const extracted = passages.length > 0 ? extractiveAnswer(input, passages) : null
      answer =
        extracted?.text ??
        (rules.unknownReply !== undefined
          ? renderTemplate(rules.unknownReply, resolve)
          : passages.length > 0
            ? NOT_IN_CONTEXT_REPLY
            : NO_CONTEXT_REPLY)
      isAnswering = false
    }
    return answer
  }
  const resolverFor = (match: RuleMatch | undefined): TemplateResolver => {
    const resolve: TemplateResolver = (name) => {
      if (name === 'input') return input
      if (name === 'context') {
        return passages.map((passage) => `[${passage.index}] ${passage.title}: ${passage.text}`).join('\n')
      }
      if (name === 'answer') return fallbackAnswer(resolve)
      if (name === 'toolResults')
        return toolResults.map((result) => `${result.toolName}: ${result.content}`).join('\n')
      if (name.startsWith('match.')) return match?.groups[name.slice('match.'.length)] ?? ''
      if (name.startsWith('tool.')) {
        const toolName = name.slice('tool.'.length)
        return toolResults
          .filter((result) => result.toolName === toolName)
          .map((result) => result.content)
          .join('\n')
      }
      return ''
    }
    return resolve
  }
  const asJsonIfAsked = (text: string): string =>
    request.responseFormat?.type === 'json'
      ? JSON.stringify(minimalJsonFor(request.responseFormat.schema, text))
      : text

  if (toolResults.length > 0) {
    const match = matchScriptedRule(rules.rules, input, true)
    const resolve = resolverFor(match)
    if (match?.rule.toolCalls && match.rule.afterTools !== undefined) {
      return { type: 'text', content: renderTemplate(match.rule.afterTools, resolve) }
    }
    return { type: 'text', content: asJsonIfAsked(describeToolResults(toolResults)) }
  }

  const match = matchScriptedRule(rules.rules, input, request.toolChoice !== 'none')
  const resolve = resolverFor(match)
  const rule = match?.rule
  if (rule?.reply !== undefined) return { type: 'text', content: renderTemplate(rule.reply, resolve) }
  if (rule?.refuse !== undefined) return { type: 'refusal', refusal: renderTemplate(rule.refuse, resolve) }
  if (rule?.json !== undefined) {
    return { type: 'text', content: JSON.stringify(renderJsonTemplates(rule.json as JsonValue, resolve)) }
  }
  if (rule?.toolCalls) {
    const calls = rule.toolCalls.map((call) => ({
      name: call.name,
      argumentsJson: JSON.stringify(renderJsonTemplates(call.arguments as JsonValue, resolve)),
    }))
    return { type: 'tool-calls', calls }
  }
  return { type: 'text', content: asJsonIfAsked(fallbackAnswer(resolve)) }
}
