import type { ScriptedRule } from './scripted-rules.js'
import { foldText } from './text-features.js'

export interface RuleMatch {
  readonly rule: ScriptedRule
  /** The rule's position in `rules`, from 0. */
  readonly index: number
  /** `match.<key>` template values: `0` the whole match, `1`.. the groups, and named groups. */
  readonly groups: Readonly<Record<string, string>>
}

/** Patterns only ever see this much of a message, which bounds the cost of a slow pattern. */
const MAX_PATTERN_INPUT = 4000
const patterns = new Map<string, RegExp>()

function patternOf(source: string): RegExp {
  let pattern = patterns.get(source)
  if (!pattern) {
    pattern = new RegExp(source, 'iu')
    if (patterns.size >= 500) patterns.clear()
    patterns.set(source, pattern)
  }
  return pattern
}

/** Folded, with collapsed spaces: what `contains` compares. */
function comparable(text: string): string {
  return foldText(text).replace(/\s+/g, ' ').trim()
}

/** What `equals` compares: also without end punctuation. */
function exact(text: string): string {
  return comparable(text)
    .replace(/[.!?…]+$/u, '')
    .trim()
}

const listOf = (phrases: string | readonly string[]) => (typeof phrases === 'string' ? [phrases] : phrases)

function groupsOf(match: RegExpExecArray): Record<string, string> {
  const groups: Record<string, string> = {}
  match.forEach((value, position) => {
    groups[String(position)] = value ?? ''
  })
  for (const [name, value] of Object.entries(match.groups ?? {})) groups[name] = value ?? ''
  return groups
}

function matchOne(rule: ScriptedRule, input: string): Record<string, string> | undefined {
  const { when } = rule
  if (when.always) return {}
  if (when.contains !== undefined) {
    const text = comparable(input)
    return listOf(when.contains).some((phrase) => text.includes(comparable(phrase))) ? {} : undefined
  }
  if (when.equals !== undefined) {
    const text = exact(input)
    return listOf(when.equals).some((phrase) => text === exact(phrase)) ? {} : undefined
  }
  if (when.matches !== undefined) {
    const match = patternOf(when.matches).exec(input.slice(0, MAX_PATTERN_INPUT))
    return match ? groupsOf(match) : undefined
  }
  return undefined
}

/**
 * The first rule that matches `input`, in order. With `isToolCallAllowed` false (tool choice `none`),
 * rules that call tools are passed over.
 */
export function matchScriptedRule(
  rules: readonly ScriptedRule[],
  input: string,
  isToolCallAllowed: boolean,
): RuleMatch | undefined {
  for (const [index, rule] of rules.entries()) {
    if (!isToolCallAllowed && rule.toolCalls !== undefined) continue
    const groups = matchOne(rule, input)
    if (groups) return { rule, index, groups }
  }
  return undefined
}
