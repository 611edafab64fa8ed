import { CoreError } from '@agentry/contracts'

export const MAX_EXPRESSION_LENGTH = 500
const MAX_TOKENS = 300
const MAX_DEPTH = 32
const MAX_NUMBER_LENGTH = 40

type Token =
  | { readonly type: 'number'; readonly value: number; readonly at: number }
  | { readonly type: 'name'; readonly value: string; readonly at: number }
  | { readonly type: 'symbol'; readonly value: string; readonly at: number }
  | { readonly type: 'end'; readonly at: number }

const SYMBOLS = new Set(['+', '-', '*', '/', '%', '^', '(', ')', ','])

/** Looked up in Maps, never on objects, so `constructor` or `__proto__` name nothing. */
const CONSTANTS: ReadonlyMap<string, number> = new Map([
  ['pi', Math.PI],
  ['e', Math.E],
])

const FUNCTIONS: ReadonlyMap<
  string,
  { readonly arity: [number, number]; readonly apply: (args: number[]) => number }
> = new Map([
  ['abs', { arity: [1, 1], apply: ([x]) => Math.abs(x!) }],
  ['sqrt', { arity: [1, 1], apply: ([x]) => Math.sqrt(x!) }],
  ['round', { arity: [1, 2], apply: ([x, digits]) => roundTo(x!, digits ?? 0) }],
  ['floor', { arity: [1, 1], apply: ([x]) => Math.floor(x!) }],
  ['ceil', { arity: [1, 1], apply: ([x]) => Math.ceil(x!) }],
  ['min', { arity: [1, 20], apply: (args) => Math.min(...args) }],
  ['max', { arity: [1, 20], apply: (args) => Math.max(...args) }],
  ['log', { arity: [1, 1], apply: ([x]) => Math.log(x!) }],
  ['log10', { arity: [1, 1], apply: ([x]) => Math.log10(x!) }],
  ['exp', { arity: [1, 1], apply: ([x]) => Math.exp(x!) }],
  ['sin', { arity: [1, 1], apply: ([x]) => Math.sin(x!) }],
  ['cos', { arity: [1, 1], apply: ([x]) => Math.cos(x!) }],
  ['tan', { arity: [1, 1], apply: ([x]) => Math.tan(x!) }],
])

export const ARITHMETIC_FUNCTIONS = [...FUNCTIONS.keys()]

function roundTo(value: number, digits: number): number {
  if (!Number.isInteger(digits) || digits < 0 || digits > 12) {
    throw invalid('round(x, digits) takes 0 to 12 whole digits')
  }
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}

function invalid(message: string): CoreError {
  return new CoreError('INVALID_INPUT', `Cannot evaluate the expression: ${message}.`)
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = []
  let index = 0
  while (index < expression.length) {
    const char = expression[index]!
    if (/\s/.test(char)) {
      index += 1
      continue
    }
    const number = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(expression.slice(index))
    if (number) {
      if (number[0].length > MAX_NUMBER_LENGTH)
        throw invalid(`the number at position ${index + 1} is too long`)
      tokens.push({ type: 'number', value: Number(number[0]), at: index })
      index += number[0].length
    } else if (/[A-Za-z_]/.test(char)) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(expression.slice(index))![0]
      tokens.push({ type: 'name', value: name.toLowerCase(), at: index })
      index += name.length
    } else if (SYMBOLS.has(char)) {
      tokens.push({ type: 'symbol', value: char, at: index })
      index += 1
    } else {
      throw invalid(
        `"${char}" at position ${index + 1} is not allowed (use numbers, + - * / % ^, parentheses and functions)`,
      )
    }
    if (tokens.length > MAX_TOKENS) throw invalid(`more than ${MAX_TOKENS} tokens`)
  }
  tokens.push({ type: 'end', at: expression.length })
  return tokens
}

/**
 * A recursive-descent parser that computes as it parses: numbers, `+ - * / % ^` (power binds
 * right and tighter than unary minus, so `-2^2` is -4), parentheses, `pi`, `e` and a few functions.
 * Nothing is ever handed to `eval` or `Function`; names are looked up in fixed tables only.
 */
class Evaluator {
  #position = 0
  #depth = 0

  constructor(private readonly tokens: readonly Token[]) {}

  run(): number {
    const value = this.#additive()
    const next = this.#peek()
    if (next.type !== 'end') throw invalid(`unexpected ${describe(next)} at position ${next.at + 1}`)
    return value
  }

  #peek(): Token {
    return this.tokens[this.#position]!
  }

  #take(): Token {
    const token = this.tokens[this.#position]!
    this.#position += 1
    return token
  }

  #isSymbol(value: string): boolean {
    const token = this.#peek()
    return token.type === 'symbol' && token.value === value
  }

  #expect(value: string): void {
    const token = this.#take()
    if (token.type !== 'symbol' || token.value !== value) {
      throw invalid(`expected "${value}" but found ${describe(token)} at position ${token.at + 1}`)
    }
  }

  #nested<T>(parse: () => T): T {
    this.#depth += 1
    if (this.#depth > MAX_DEPTH) throw invalid(`nesting deeper than ${MAX_DEPTH} levels`)
    try {
      return parse()
    } finally {
      this.#depth -= 1
    }
  }

  #additive(): number {
    let value = this.#multiplicative()
    while (this.#isSymbol('+') || this.#isSymbol('-')) {
      const operator = this.#take()
      const right = this.#multiplicative()
      value = operator.type === 'symbol' && operator.value === '+' ? value + right : value - right
    }
    return value
  }

  #multiplicative(): number {
    let value = this.#unary()
    while (this.#isSymbol('*') || this.#isSymbol('/') || this.#isSymbol('%')) {
      const operator = this.#take() as { value: string; at: number }
      const right = this.#unary()
      if ((operator.value === '/' || operator.value === '%') && right === 0) {
        throw invalid(`division by zero at position ${operator.at + 1}`)
      }
      value = operator.value === '*' ? value * right : operator.value === '/' ? value / right : value % right
    }
    return value
  }

  #unary(): number {
    if (this.#isSymbol('-') || this.#isSymbol('+')) {
      const operator = this.#take() as { value: string }
      const operand = this.#nested(() => this.#unary())
      return operator.value === '-' ? -operand : operand
    }
    return this.#power()
  }

  #power(): number {
    const base = this.#primary()
    if (!this.#isSymbol('^')) return base
    this.#take()
    const exponent = this.#nested(() => this.#unary())
    return base ** exponent
  }

  #primary(): number {
    const token = this.#take()
    if (token.type === 'number') return token.value
    if (token.type === 'symbol' && token.value === '(') {
      const value = this.#nested(() => this.#additive())
      this.#expect(')')
      return value
    }
    if (token.type === 'name') return this.#name(token.value, token.at)
    throw invalid(`unexpected ${describe(token)} at position ${token.at + 1}`)
  }

  #name(name: string, at: number): number {
    const fn = FUNCTIONS.get(name)
    if (fn) {
      this.#expect('(')
      const args: number[] = []
      if (!this.#isSymbol(')')) {
        for (;;) {
          args.push(this.#nested(() => this.#additive()))
          if (!this.#isSymbol(',')) break
          this.#take()
        }
      }
      this.#expect(')')
      const [least, most] = fn.arity
      if (args.length < least || args.length > most) {
        throw invalid(
          `${name} takes ${least === most ? least : `${least} to ${most}`} argument(s), not ${args.length}`,
        )
      }
      return fn.apply(args)
    }
    const constant = CONSTANTS.get(name)
    if (constant !== undefined) return constant
    throw invalid(
      `unknown name "${name}" at position ${at + 1}; known: pi, e, ${ARITHMETIC_FUNCTIONS.join(', ')}`,
    )
  }
}

function describe(token: Token): string {
  if (token.type === 'end') return 'the end of the expression'
  return `"${token.value}"`
}

/**
 * Evaluates an arithmetic expression safely; throws CoreError `INVALID_INPUT` naming the problem
 * (syntax, unknown name, division by zero, a result that is not a finite number, limits).
 */
export function evaluateArithmetic(expression: string): number {
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    throw invalid(`it is longer than ${MAX_EXPRESSION_LENGTH} characters`)
  }
  if (expression.trim() === '') throw invalid('it is empty')
  const value = new Evaluator(tokenize(expression)).run()
  if (!Number.isFinite(value)) throw invalid('the result is not a finite number')
  // 15 significant digits: 0.1 + 0.2 answers 0.3, as a person expects.
  const rounded = Number(value.toPrecision(15))
  return Object.is(rounded, -0) ? 0 : rounded
}
