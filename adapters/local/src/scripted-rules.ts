import type { FieldIssue } from '@agentry/contracts'
import { CoreError, zodIssues } from '@agentry/contracts'
import { z } from 'zod'
import { jsonTemplateProblem, templateProblem } from './scripted-templates.js'

const Template = z
  .string()
  .max(20_000)
  .superRefine((template, context) => {
    const problem = templateProblem(template)
    if (problem) context.addIssue({ code: 'custom', message: problem })
  })

const Phrases = z.union([z.string().min(1).max(500), z.array(z.string().min(1).max(500)).min(1).max(50)])

function isValidPattern(pattern: string): boolean {
  try {
    new RegExp(pattern, 'iu')
    return true
  } catch {
    return false
  }
}

/** A quantified group that itself contains a quantifier, e.g. `(a+)+` or `(\w+\s?)*`. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*](?:[^()\\]|\\.)*\)[+*{]/

const WhenSchema = z
  .object({
    /** The message contains the phrase (or any of the phrases), ignoring case and accents. */
    contains: Phrases.optional(),
    /** The message is the phrase (or any of them), ignoring case, accents, spacing and end punctuation. */
    equals: Phrases.optional(),
    /** A regular expression (case-insensitive, Unicode) found in the message; groups feed `{{match.n}}`. */
    matches: z
      .string()
      .min(1)
      .max(500)
      .refine(isValidPattern, 'not a valid regular expression')
      .refine(
        (pattern) => !NESTED_QUANTIFIER.test(pattern),
        'nested quantifiers such as (a+)+ can take exponential time on crafted input: rewrite the pattern',
      )
      .optional(),
    /** Always matches: put it last as a catch-all. */
    always: z.literal(true).optional(),
  })
  .strict()
  .refine((when) => Object.keys(when).length === 1, {
    message: 'when needs exactly one of contains, equals, matches, always',
  })

const ToolCallSchema = z
  .object({
    name: z.string().min(1).max(128),
    /** Sent as the call's arguments; every string inside may use templates. */
    arguments: z.record(z.string(), z.json()).default({}),
  })
  .strict()

const OUTPUTS = ['reply', 'toolCalls', 'json', 'refuse'] as const

const RuleSchema = z
  .object({
    /** A label for people reading the config; not used for matching. */
    name: z.string().max(100).optional(),
    when: WhenSchema,
    /** Answer with this text (a template). Sent verbatim even when JSON output is asked for. */
    reply: Template.optional(),
    /** Call these tools (all in one reply, in order); ids are generated deterministically. */
    toolCalls: z.array(ToolCallSchema).min(1).max(16).optional(),
    /** Answer with this value serialised as JSON; strings inside may use templates. */
    json: z.json().optional(),
    /** Decline: finishReason `refusal` with this text (a template). */
    refuse: Template.optional(),
    /** With `toolCalls`: the answer once the tool results are back (a template). */
    afterTools: Template.optional(),
  })
  .strict()
  .superRefine((rule, context) => {
    const outputs = OUTPUTS.filter((key) => rule[key] !== undefined)
    if (outputs.length !== 1) {
      context.addIssue({
        code: 'custom',
        message: `a rule needs exactly one of reply, toolCalls, json, refuse (got ${outputs.join(', ') || 'none'})`,
      })
    }
    if (rule.afterTools !== undefined && rule.toolCalls === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['afterTools'],
        message: 'afterTools only applies to toolCalls',
      })
    }
    const problem =
      jsonTemplateProblem(rule.json) ?? jsonTemplateProblem(rule.toolCalls?.map((c) => c.arguments))
    if (problem) context.addIssue({ code: 'custom', message: problem })
  })

/**
 * The scripted model's settings in an agent config, under `providerOptions.local`. Rules are tried
 * in order against the last user message; the first match answers.
 */
export const ScriptedRulesSchema = z
  .object({
    rules: z.array(RuleSchema).max(200).default([]),
    /** The reply when no rule matches and the knowledge passages do not answer (a template). */
    unknownReply: Template.optional(),
  })
  .strict()

export type ScriptedRules = z.output<typeof ScriptedRulesSchema>
export type ScriptedRulesInput = z.input<typeof ScriptedRulesSchema>
export type ScriptedRule = ScriptedRules['rules'][number]

const EMPTY_RULES: ScriptedRules = { rules: [] }
const parsedByOptions = new WeakMap<object, ScriptedRules>()

/**
 * Validates `providerOptions.local` (absent means no rules). Parsed rules are cached per options
 * object, so an agent's rules are validated once, not on every model call. Throws CoreError
 * `INVALID_INPUT` naming each bad field.
 */
export function parseScriptedRules(options: unknown): ScriptedRules {
  if (options === undefined || options === null) return EMPTY_RULES
  if (typeof options === 'object') {
    const cached = parsedByOptions.get(options)
    if (cached) return cached
  }
  const parsed = ScriptedRulesSchema.safeParse(options)
  if (!parsed.success) {
    const issues = zodIssues(parsed.error).map((issue) => ({
      path: ['providerOptions', 'local', issue.path].filter(Boolean).join('.'),
      message: issue.message,
    }))
    throw new CoreError(
      'INVALID_INPUT',
      `The scripted model's rules are invalid: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
      { details: { issues } },
    )
  }
  if (typeof options === 'object') parsedByOptions.set(options, parsed.data)
  return parsed.data
}

/**
 * The problems in `providerOptions.local`, with paths relative to it (`rules.2.when.matches`); empty
 * when valid. Fits the core's `ProviderOptionsValidator` for provider `local`, so rules are checked
 * when an agent is saved.
 */
export function validateScriptedRules(options: unknown): FieldIssue[] {
  const parsed = ScriptedRulesSchema.safeParse(options ?? {})
  return parsed.success ? [] : zodIssues(parsed.error)
}
