import type { BuiltinTool } from '@agentry/contracts'
import { ARITHMETIC_FUNCTIONS, evaluateArithmetic, MAX_EXPRESSION_LENGTH } from './arithmetic.js'

/** `math.evaluate`: exact-enough arithmetic for a model that should not do sums in its head. */
export function createMathEvaluateTool(): BuiltinTool {
  return {
    name: 'math.evaluate',
    description: `Evaluates an arithmetic expression: numbers, + - * / % ^, parentheses, pi, e and ${ARITHMETIC_FUNCTIONS.join(', ')}. Example: "(12.5 * 4) ^ 2 / 3".`,
    inputSchema: {
      type: 'object',
      properties: {
        expression: { type: 'string', minLength: 1, maxLength: MAX_EXPRESSION_LENGTH },
      },
      required: ['expression'],
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: { expression: { type: 'string' }, result: { type: 'number' } },
      required: ['expression', 'result'],
    },
    async execute(input) {
      const { expression } = input as { expression: string }
      return { expression, result: evaluateArithmetic(expression) }
    },
  }
}
