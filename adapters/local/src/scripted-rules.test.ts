import { CoreError } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { parseScriptedRules, ScriptedRulesSchema, validateScriptedRules } from './scripted-rules.js'

const issuesOf = (value: unknown): string[] => {
  const parsed = ScriptedRulesSchema.safeParse(value)
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
}

describe('ScriptedRulesSchema', () => {
  it('accepts every kind of rule and defaults the arguments of a tool call', () => {
    const parsed = ScriptedRulesSchema.parse({
      rules: [
        { name: 'greeting', when: { equals: ['hi', 'hello'] }, reply: 'Hello! You said {{input}}.' },
        {
          when: { matches: 'order (?<number>\\d+)' },
          toolCalls: [{ name: 'orders.get', arguments: { id: '{{match.number}}' } }, { name: 'orders.list' }],
          afterTools: 'Your order: {{tool.orders.get}}',
        },
        { when: { contains: 'status' }, json: { status: 'ok', echo: '{{input}}' } },
        { when: { contains: ['password', 'secret'] }, refuse: 'I cannot help with that.' },
        { when: { always: true }, reply: '{{answer}}' },
      ],
      unknownReply: 'No idea about "{{input}}".',
    })
    expect(parsed.rules).toHaveLength(5)
    expect(parsed.rules[1]?.toolCalls?.[1]).toEqual({ name: 'orders.list', arguments: {} })
  })

  it('defaults to no rules', () => {
    expect(ScriptedRulesSchema.parse({})).toEqual({ rules: [] })
  })

  it('needs exactly one output per rule', () => {
    expect(issuesOf({ rules: [{ when: { always: true } }] })).toEqual([
      'rules.0: a rule needs exactly one of reply, toolCalls, json, refuse (got none)',
    ])
    expect(issuesOf({ rules: [{ when: { always: true }, reply: 'a', refuse: 'b' }] })).toEqual([
      'rules.0: a rule needs exactly one of reply, toolCalls, json, refuse (got reply, refuse)',
    ])
  })

  it('needs exactly one condition per rule', () => {
    expect(issuesOf({ rules: [{ when: { contains: 'a', equals: 'b' }, reply: 'x' }] })).toEqual([
      'rules.0.when: when needs exactly one of contains, equals, matches, always',
    ])
    expect(issuesOf({ rules: [{ when: {}, reply: 'x' }] })).toHaveLength(1)
  })

  it('rejects unknown keys, invalid and exponential patterns, and afterTools without tool calls', () => {
    expect(issuesOf({ rules: [{ when: { always: true }, reply: 'x', delay: 3 }] })[0]).toContain('delay')
    expect(issuesOf({ rules: [{ when: { matches: '(unclosed' }, reply: 'x' }] })).toEqual([
      'rules.0.when.matches: not a valid regular expression',
    ])
    expect(issuesOf({ rules: [{ when: { matches: '(a+)+$' }, reply: 'x' }] })[0]).toContain(
      'nested quantifiers',
    )
    expect(issuesOf({ rules: [{ when: { matches: '(\\w+\\s?)*' }, reply: 'x' }] })[0]).toContain('nested')
    expect(issuesOf({ rules: [{ when: { matches: 'order \\d+ (today|now)?' }, reply: 'x' }] })).toEqual([])
    expect(issuesOf({ rules: [{ when: { always: true }, reply: 'x', afterTools: 'y' }] })).toEqual([
      'rules.0.afterTools: afterTools only applies to toolCalls',
    ])
  })

  it('reports unknown template variables in replies, JSON values and tool arguments', () => {
    expect(issuesOf({ rules: [{ when: { always: true }, reply: 'Hi {{inptu}}' }] })[0]).toContain(
      'unknown template variable {{inptu}}',
    )
    expect(issuesOf({ rules: [{ when: { always: true }, json: { a: ['{{nope}}'] } }] })[0]).toContain(
      '{{nope}}',
    )
    expect(
      issuesOf({
        rules: [{ when: { always: true }, toolCalls: [{ name: 't.x', arguments: { q: '{{bad}}' } }] }],
      })[0],
    ).toContain('{{bad}}')
  })
})

describe('parseScriptedRules', () => {
  it('treats absent options as no rules and caches parsed options by object', () => {
    expect(parseScriptedRules(undefined).rules).toEqual([])
    const options = { rules: [{ when: { always: true }, reply: 'x' }] }
    expect(parseScriptedRules(options)).toBe(parseScriptedRules(options))
  })

  it('throws INVALID_INPUT naming the field under providerOptions.local', () => {
    let caught: unknown
    try {
      parseScriptedRules({ rules: [{ when: { always: true } }] })
    } catch (error) {
      caught = error
    }
    expect(CoreError.hasCode(caught, 'INVALID_INPUT')).toBe(true)
    expect((caught as CoreError).message).toContain(
      'providerOptions.local.rules.0: a rule needs exactly one of',
    )
    expect((caught as CoreError).details).toEqual({
      issues: [{ path: 'providerOptions.local.rules.0', message: expect.stringContaining('exactly one of') }],
    })
  })
})

describe('validateScriptedRules', () => {
  it('lists every problem with paths relative to providerOptions.local, and none for valid rules', () => {
    expect(validateScriptedRules({ rules: [{ when: { always: true }, reply: 'ok' }] })).toEqual([])
    expect(validateScriptedRules(undefined)).toEqual([])
    expect(
      validateScriptedRules({
        rules: [
          { when: { matches: '(' }, reply: 'x' },
          { when: { always: true }, reply: '{{typo}}' },
        ],
      }),
    ).toEqual([
      { path: 'rules.0.when.matches', message: 'not a valid regular expression' },
      { path: 'rules.1.reply', message: expect.stringContaining('unknown template variable {{typo}}') },
    ])
  })
})
