import { CoreError } from '@agentry/contracts'
import { describe, expect, it } from 'vitest'
import { createMathEvaluateTool, evaluateArithmetic } from '../src/index.js'

function refusal(expression: string): string {
  try {
    evaluateArithmetic(expression)
  } catch (error) {
    expect(CoreError.hasCode(error, 'INVALID_INPUT')).toBe(true)
    return (error as CoreError).message
  }
  throw new Error(`"${expression}" was evaluated but should have been refused`)
}

describe('math.evaluate', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['2 ^ 3 ^ 2', 512],
    ['-2 ^ 2', -4],
    ['(-2) ^ 2', 4],
    ['2 ^ -1', 0.5],
    ['--3', 3],
    ['10 % 4', 2],
    ['7 / 2', 3.5],
    ['0.1 + 0.2', 0.3],
    ['.5 * 4', 2],
    ['1e3 + 1.5E-1', 1000.15],
    ['sqrt(16) + abs(-3)', 7],
    ['max(1, 5, 3) - min(4, 2)', 3],
    ['round(2.345, 2)', 2.35],
    ['floor(2.7) + ceil(2.1)', 5],
    ['round(pi * 100) / 100', 3.14],
    ['log(e)', 1],
    ['log10(1000)', 3],
    ['  12.5 * 4  ', 50],
    ['SQRT(9)', 3],
  ])('%s = %d', (expression, expected) => {
    expect(evaluateArithmetic(expression)).toBe(expected)
  })

  it.each([
    'process.exit(1)',
    'constructor',
    '__proto__',
    'toString(1)',
    'valueOf()',
    'hasOwnProperty(1)',
    'this',
    'globalThis',
    'eval("1")',
    'Function("return 1")()',
    'require("fs")',
    'import("fs")',
    '(1).constructor',
  ])('never reaches JavaScript through names: %s', (expression) => {
    expect(refusal(expression)).toMatch(/unknown name|not allowed/)
  })

  it.each([
    ['1; 2', 'not allowed'],
    ['a = 1', 'not allowed'],
    ['a + 1', 'unknown name "a"'],
    ['[1, 2]', 'not allowed'],
    ['`1`', 'not allowed'],
    ['1 +', 'unexpected the end'],
    ['(1 + 2', 'expected ")"'],
    ['1 2', 'unexpected "2"'],
    ['2 ** 3', 'unexpected "*"'],
    ['', 'empty'],
    ['sqrt()', 'takes 1 argument'],
    ['max()', 'takes 1 to 20'],
    ['round(1.5, 0.5)', '0 to 12 whole digits'],
    ['1 / 0', 'division by zero'],
    ['5 % 0', 'division by zero'],
    ['sqrt(-1)', 'not a finite number'],
    ['10 ^ 400', 'not a finite number'],
    ['9 ^ 9 ^ 9', 'not a finite number'],
    ['1e999', 'not a finite number'],
  ])('refuses %s (%s)', (expression, reason) => {
    expect(refusal(expression)).toContain(reason)
  })

  it('stops inputs built to exhaust it: length, depth, tokens, long numbers', () => {
    expect(refusal(`${'1+'.repeat(300)}1`)).toContain('longer than 500')
    expect(refusal(`${'('.repeat(40)}1${')'.repeat(40)}`)).toContain('nesting deeper than 32')
    expect(refusal(`${'-'.repeat(100)}1`)).toContain('nesting deeper')
    expect(refusal('1+'.repeat(160).slice(0, 319))).toContain('300 tokens')
    expect(refusal(`1${'0'.repeat(60)}`)).toContain('too long')
  })

  it('is a builtin tool with schemas, answering the expression and its result', async () => {
    const tool = createMathEvaluateTool()
    expect(tool.name).toBe('math.evaluate')
    expect(tool.inputSchema.required).toEqual(['expression'])
    const context = {
      scope: { type: 'tenant' as const, companyId: 'c' as never },
      agentId: null,
      sessionId: null,
      turnId: null,
    }
    expect(await tool.execute({ expression: '6 * 7' }, context)).toEqual({ expression: '6 * 7', result: 42 })
  })
})
