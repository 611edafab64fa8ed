/** Field names whose values never reach a log line, at any of the first three levels of a log object. */
const SECRET_FIELDS = [
  'authorization',
  'Authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'apiKey',
  'api_key',
  'key',
  'password',
  'newPassword',
  'currentPassword',
  'passwordHash',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'secret',
  'secretValue',
  'clientSecret',
  'masterKey',
  'privateKey',
  'adminToken',
  'jwtSecret',
] as const

function atDepths(field: string): string[] {
  const segment = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(field) ? `.${field}` : `["${field}"]`
  const top = segment.startsWith('.') ? segment.slice(1) : segment
  return [top, `*${segment}`, `*.*${segment}`]
}

/**
 * pino `redact` paths applied to every line: secret-looking fields at the top level and one or two
 * levels down (`password`, `*.password`, `*.*.password`), so `request.headers.authorization` and
 * `body.password` are covered. Configured paths are added to these.
 */
export const DEFAULT_REDACT_PATHS: readonly string[] = SECRET_FIELDS.flatMap(atDepths)

export const REDACTED = '[REDACTED]'

/** Secrets recognised by their shape wherever they appear in a line (messages, error stacks, URLs). */
const SECRET_PATTERNS: readonly (readonly [RegExp, string])[] = [
  // Agentry API keys: the public prefix stays (it identifies the key), the secret part goes.
  [/\bagt_([0-9a-f]{12})_[A-Za-z0-9_-]+/g, `agt_$1_${REDACTED}`],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  // JSON Web Tokens (user tokens).
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+/g, REDACTED],
  // Provider keys (OpenAI, Anthropic and compatible servers).
  [/\bsk-[A-Za-z0-9_-]{16,}/g, `sk-${REDACTED}`],
  // Passwords in connection URLs: postgres://user:password@host, redis://:password@host.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@"]*:)[^\s@/"]+@/gi, `$1${REDACTED}@`],
]

/** Replaces every secret-shaped part of one serialized log line. */
export function scrubSecrets(line: string): string {
  let scrubbed = line
  for (const [pattern, replacement] of SECRET_PATTERNS) scrubbed = scrubbed.replace(pattern, replacement)
  return scrubbed
}
